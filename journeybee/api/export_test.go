package api

// For the api_test package, whose tests compare the lead decoder with
// encoding/json on generated data.

// DecodeLeads is decodeLeads.
var DecodeLeads = decodeLeads

// DecodeLeadsDirect runs the direct decoder alone: ok is false where
// decodeLeads hands the body to encoding/json.
func DecodeLeadsDirect(body []byte) (leads []Lead, ok bool) {
	d := leadDecoder{b: body}
	return d.page(make([]Lead, 0))
}
