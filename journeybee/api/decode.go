package api

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"
)

// Decoding a page of leads without reflection.
//
// encoding/json finds each field by reflection and was most of the
// plugin's own CPU in a full scan. decodeLeads reads the documented shape
// directly, and gives the body to encoding/json whenever the shape is
// anything else, so the result is always exactly json.Unmarshal's:
//
//   - the reader checks the JSON syntax of everything it reads, skipped
//     values included, and gives up at the first fault, so a malformed body
//     gets encoding/json's error;
//   - a key is matched exactly; a key that differs from a field name only by
//     case (encoding/json would fill the field), holds an escape or repeats
//     (encoding/json would merge the values) gives up;
//   - a value of an unexpected JSON type, a number that does not parse as
//     the field's Go type, or a null where a lead or list item is expected
//     gives up;
//   - strings with escapes or invalid UTF-8, timestamps, fallback_data and
//     campaign partners are decoded by the same code encoding/json would
//     call (json.Unmarshal of the string token, time.Time.UnmarshalJSON,
//     json.RawMessage.UnmarshalJSON, CampaignPartner.UnmarshalJSON).
//
// Giving up costs one json.Unmarshal of the page, as before.

// decodeLeads decodes a Get Leads reply into items[:0].
func decodeLeads(body []byte, items []Lead) ([]Lead, error) {
	d := leadDecoder{b: body}
	if leads, ok := d.page(items[:0]); ok {
		return leads, nil
	}
	items = items[:0]
	err := json.Unmarshal(body, &items)
	return items, err
}

// leadDecoder reads a body, checking its syntax as it goes.
type leadDecoder struct {
	b []byte
	i int
}

func (d *leadDecoder) ws() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// peek is the next non-space byte, 0 at the end.
func (d *leadDecoder) peek() byte {
	d.ws()
	if d.i < len(d.b) {
		return d.b[d.i]
	}
	return 0
}

func (d *leadDecoder) consume(c byte) bool {
	if d.peek() == c {
		d.i++
		return true
	}
	return false
}

// literal consumes the literal word (true, false or null).
func (d *leadDecoder) literal(word string) bool {
	d.ws()
	if len(d.b)-d.i >= len(word) && string(d.b[d.i:d.i+len(word)]) == word {
		d.i += len(word)
		return true
	}
	return false
}

// null consumes a null literal.
func (d *leadDecoder) null() bool {
	return d.peek() == 'n' && d.literal("null")
}

// stringToken reads a string and returns it with its quotes, and whether it
// holds an escape. ok is false for anything JSON does not allow: no opening
// quote, no closing quote, a control character, a bad escape.
func (d *leadDecoder) stringToken() (tok []byte, escaped, ok bool) {
	start := d.i
	if d.i >= len(d.b) || d.b[d.i] != '"' {
		return nil, false, false
	}
	d.i++
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			d.i++
			return d.b[start:d.i], escaped, true
		case c < 0x20:
			return nil, false, false
		case c == '\\':
			escaped = true
			d.i++
			if d.i >= len(d.b) {
				return nil, false, false
			}
			switch d.b[d.i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if len(d.b)-d.i < 5 || !isHex(d.b[d.i+1]) || !isHex(d.b[d.i+2]) || !isHex(d.b[d.i+3]) || !isHex(d.b[d.i+4]) {
					return nil, false, false
				}
				d.i += 4
			default:
				return nil, false, false
			}
		}
		d.i++
	}
	return nil, false, false
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// numberToken reads a number as JSON writes them,
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, and reports whether it has
// a fraction or an exponent.
func (d *leadDecoder) numberToken() (tok []byte, float, ok bool) {
	start := d.i
	digits := func() bool {
		n := d.i
		for d.i < len(d.b) && isDigit(d.b[d.i]) {
			d.i++
		}
		return d.i > n
	}
	if d.i < len(d.b) && d.b[d.i] == '-' {
		d.i++
	}
	switch {
	case d.i < len(d.b) && d.b[d.i] == '0':
		d.i++
	case !digits():
		return nil, false, false
	}
	if d.i < len(d.b) && d.b[d.i] == '.' {
		d.i++
		float = true
		if !digits() {
			return nil, false, false
		}
	}
	if d.i < len(d.b) && (d.b[d.i] == 'e' || d.b[d.i] == 'E') {
		d.i++
		float = true
		if d.i < len(d.b) && (d.b[d.i] == '+' || d.b[d.i] == '-') {
			d.i++
		}
		if !digits() {
			return nil, false, false
		}
	}
	return d.b[start:d.i], float, true
}

// maxDepth bounds the nesting skip follows; deeper values give up (and
// encoding/json has its own limit).
const maxDepth = 100

// skip reads any one value and returns its bytes; ok is false for
// malformed JSON.
func (d *leadDecoder) skip() (value []byte, ok bool) {
	d.ws()
	start := d.i
	if !d.skipValue(0) {
		return nil, false
	}
	return d.b[start:d.i], true
}

func (d *leadDecoder) skipValue(depth int) bool {
	if depth > maxDepth {
		return false
	}
	switch d.peek() {
	case '"':
		_, _, ok := d.stringToken()
		return ok
	case '{':
		d.i++
		if d.consume('}') {
			return true
		}
		for {
			d.ws()
			if _, _, ok := d.stringToken(); !ok || !d.consume(':') || !d.skipValue(depth+1) {
				return false
			}
			if d.consume(',') {
				continue
			}
			return d.consume('}')
		}
	case '[':
		d.i++
		if d.consume(']') {
			return true
		}
		for {
			if !d.skipValue(depth + 1) {
				return false
			}
			if d.consume(',') {
				continue
			}
			return d.consume(']')
		}
	case 't':
		return d.literal("true")
	case 'f':
		return d.literal("false")
	case 'n':
		return d.literal("null")
	}
	_, _, ok := d.numberToken()
	return ok
}

// object reads one object of a struct whose JSON field names are names,
// calling field with the index in names of each key; field reads the value.
// Keys that are no field name are skipped. A key with an escape, a key that
// matches a field name only regardless of case (encoding/json would fill the
// field) and a repeated key (encoding/json would merge the two values) give
// up.
func (d *leadDecoder) object(names []string, field func(i int) bool) bool {
	if !d.consume('{') {
		return false
	}
	if d.consume('}') {
		return true
	}
	var seen uint64
	for {
		d.ws()
		tok, escaped, ok := d.stringToken()
		if !ok || escaped || !d.consume(':') {
			return false
		}
		key := tok[1 : len(tok)-1]
		i := fieldIndex(names, key)
		switch {
		case i >= 0:
			if seen&(1<<i) != 0 || !field(i) {
				return false
			}
			seen |= 1 << i
		case !d.unknown(key, names):
			return false
		}
		if d.consume(',') {
			continue
		}
		return d.consume('}')
	}
}

func fieldIndex(names []string, key []byte) int {
	for i, n := range names {
		if string(key) == n {
			return i
		}
	}
	return -1
}

// unknown skips the value of a key that is not a field name, unless
// encoding/json would match it to one of names regardless of case.
func (d *leadDecoder) unknown(key []byte, names []string) bool {
	for _, n := range names {
		if bytes.EqualFold(key, []byte(n)) {
			return false
		}
	}
	for _, c := range key {
		if c >= utf8.RuneSelf { // folding beyond ASCII (e.g. ſ, K): leave it to encoding/json
			return false
		}
	}
	_, ok := d.skip()
	return ok
}

// list reads an array of objects into *dst: nil for null, empty for [].
func list[T any](d *leadDecoder, dst *[]T, item func(*T) bool) bool {
	if d.null() {
		*dst = nil
		return true
	}
	if !d.consume('[') {
		return false
	}
	if d.consume(']') {
		*dst = []T{}
		return true
	}
	// Most lists hold one or two items.
	out := make([]T, 0, 2)
	for {
		if d.peek() != '{' {
			return false
		}
		out = append(out, *new(T))
		if !item(&out[len(out)-1]) {
			return false
		}
		if d.consume(',') {
			continue
		}
		if !d.consume(']') {
			return false
		}
		*dst = out
		return true
	}
}

// Scalars. As in encoding/json, null leaves a non-pointer field unchanged
// and sets a pointer field to nil.

func (d *leadDecoder) int64(dst *int64) bool {
	if d.null() {
		return true
	}
	c := d.peek()
	if c != '-' && (c < '0' || c > '9') {
		return false
	}
	tok, float, ok := d.numberToken()
	if !ok || float {
		return false
	}
	v, err := strconv.ParseInt(string(tok), 10, 64)
	*dst = v
	return err == nil
}

func (d *leadDecoder) int(dst *int) bool {
	var v int64
	if d.peek() == 'n' {
		return d.null()
	}
	if !d.int64(&v) || int64(int(v)) != v {
		return false
	}
	*dst = int(v)
	return true
}

func (d *leadDecoder) optInt64(dst **int64) bool {
	if d.null() {
		*dst = nil
		return true
	}
	v := new(int64)
	*dst = v
	return d.int64(v)
}

func (d *leadDecoder) float64(dst *float64) bool {
	if d.null() {
		return true
	}
	c := d.peek()
	if c != '-' && (c < '0' || c > '9') {
		return false
	}
	tok, _, ok := d.numberToken()
	if !ok {
		return false
	}
	v, err := strconv.ParseFloat(string(tok), 64)
	*dst = v
	return err == nil
}

func (d *leadDecoder) string(dst *string) bool {
	if d.null() {
		return true
	}
	if d.peek() != '"' {
		return false
	}
	tok, escaped, ok := d.stringToken()
	if !ok {
		return false
	}
	raw := tok[1 : len(tok)-1]
	if !escaped && utf8.Valid(raw) {
		*dst = string(raw)
		return true
	}
	return json.Unmarshal(tok, dst) == nil
}

func (d *leadDecoder) optString(dst **string) bool {
	if d.null() {
		*dst = nil
		return true
	}
	s := new(string)
	*dst = s
	return d.string(s)
}

func (d *leadDecoder) time(dst *time.Time) bool {
	v, ok := d.skip()
	return ok && dst.UnmarshalJSON(v) == nil
}

func (d *leadDecoder) optTime(dst **time.Time) bool {
	if d.null() {
		*dst = nil
		return true
	}
	t := new(time.Time)
	*dst = t
	return d.time(t)
}

// The documented types.

var leadFields = []string{"total", "id", "uuid", "created_at", "updated_at", "source", "company_name", "email",
	"phone_number", "first_name", "last_name", "status", "partner_type", "company_id", "created_by_user_id",
	"campaign_id", "campaign_title", "tags", "assigned_users", "partnership_leads", "campaign_partners", "lead_deals"}

// page reads the reply: an array of leads.
func (d *leadDecoder) page(items []Lead) ([]Lead, bool) {
	if !d.consume('[') {
		return nil, false
	}
	if d.consume(']') {
		return items, d.end()
	}
	for {
		if d.peek() != '{' {
			return nil, false
		}
		items = append(items, Lead{})
		if !d.lead(&items[len(items)-1]) {
			return nil, false
		}
		if d.consume(',') {
			continue
		}
		if !d.consume(']') {
			return nil, false
		}
		return items, d.end()
	}
}

func (d *leadDecoder) end() bool {
	d.ws()
	return d.i == len(d.b)
}

func (d *leadDecoder) lead(l *Lead) bool {
	return d.object(leadFields, func(i int) bool {
		switch i {
		case 0: // total
			return d.int(&l.Total)
		case 1: // id
			return d.int64(&l.ID)
		case 2: // uuid
			return d.string(&l.UUID)
		case 3: // created_at
			return d.time(&l.CreatedAt)
		case 4: // updated_at
			return d.optTime(&l.UpdatedAt)
		case 5: // source
			return d.string(&l.Source)
		case 6: // company_name
			return d.optString(&l.CompanyName)
		case 7: // email
			return d.optString(&l.Email)
		case 8: // phone_number
			return d.optString(&l.PhoneNumber)
		case 9: // first_name
			return d.optString(&l.FirstName)
		case 10: // last_name
			return d.optString(&l.LastName)
		case 11: // status
			return d.string(&l.Status)
		case 12: // partner_type
			return d.optString(&l.PartnerType)
		case 13: // company_id
			return d.int64(&l.CompanyID)
		case 14: // created_by_user_id
			return d.optInt64(&l.CreatedByUserID)
		case 15: // campaign_id
			return d.optInt64(&l.CampaignID)
		case 16: // campaign_title
			return d.optString(&l.CampaignTitle)
		case 17: // tags
			return list(d, &l.Tags, d.tag)
		case 18: // assigned_users
			return list(d, &l.AssignedUsers, d.assignedUser)
		case 19: // partnership_leads
			return list(d, &l.PartnershipLeads, d.partnershipLead)
		case 20: // campaign_partners
			return list(d, &l.CampaignPartners, d.campaignPartner)
		case 21: // lead_deals
			return list(d, &l.LeadDeals, d.leadDeal)
		}
		return false
	})
}

var tagFields = []string{"id", "label", "background_color", "text_color"}

func (d *leadDecoder) tag(t *Tag) bool {
	return d.object(tagFields, func(i int) bool {
		switch i {
		case 0: // id
			return d.int64(&t.ID)
		case 1: // label
			return d.string(&t.Label)
		case 2: // background_color
			return d.string(&t.BackgroundColor)
		case 3: // text_color
			return d.string(&t.TextColor)
		}
		return false
	})
}

var assignedUserFields = []string{"id", "email", "first_name", "last_name", "color", "profile_image_id", "profile_image_uuid"}

func (d *leadDecoder) assignedUser(u *AssignedUser) bool {
	return d.object(assignedUserFields, func(i int) bool {
		switch i {
		case 0: // id
			return d.int64(&u.ID)
		case 1: // email
			return d.string(&u.Email)
		case 2: // first_name
			return d.string(&u.FirstName)
		case 3: // last_name
			return d.string(&u.LastName)
		case 4: // color
			return d.string(&u.Color)
		case 5: // profile_image_id
			return d.optInt64(&u.ProfileImageID)
		case 6: // profile_image_uuid
			return d.optString(&u.ProfileImageUUID)
		}
		return false
	})
}

var partnershipLeadFields = []string{"id", "created_at", "partnership_id", "sent_by_company_id", "sent_by_company_name",
	"sent_by_company_logo_id", "sent_by_company_logo_uuid", "received_by_company_id", "received_by_company_name",
	"received_by_company_logo_id", "received_by_company_logo_uuid", "partner_type", "direction", "fallback_data"}

func (d *leadDecoder) partnershipLead(p *PartnershipLead) bool {
	return d.object(partnershipLeadFields, func(i int) bool {
		switch i {
		case 0: // id
			return d.int64(&p.ID)
		case 1: // created_at
			return d.time(&p.CreatedAt)
		case 2: // partnership_id
			return d.int64(&p.PartnershipID)
		case 3: // sent_by_company_id
			return d.int64(&p.SentByCompanyID)
		case 4: // sent_by_company_name
			return d.string(&p.SentByCompanyName)
		case 5: // sent_by_company_logo_id
			return d.optInt64(&p.SentByCompanyLogoID)
		case 6: // sent_by_company_logo_uuid
			return d.optString(&p.SentByCompanyLogoUUID)
		case 7: // received_by_company_id
			return d.int64(&p.ReceivedByCompanyID)
		case 8: // received_by_company_name
			return d.string(&p.ReceivedByCompanyName)
		case 9: // received_by_company_logo_id
			return d.optInt64(&p.ReceivedByCompanyLogoID)
		case 10: // received_by_company_logo_uuid
			return d.optString(&p.ReceivedByCompanyLogoUUID)
		case 11: // partner_type
			return d.string(&p.PartnerType)
		case 12: // direction
			return d.string(&p.Direction)
		case 13: // fallback_data
			v, ok := d.skip()
			return ok && p.FallbackData.UnmarshalJSON(v) == nil
		}
		return false
	})
}

func (d *leadDecoder) campaignPartner(p *CampaignPartner) bool {
	v, ok := d.skip()
	return ok && p.UnmarshalJSON(v) == nil
}

var leadDealFields = []string{"id", "label", "deal_value", "currency_code", "stage_id", "stage_label", "stage_series", "stage_phase"}

func (d *leadDecoder) leadDeal(deal *LeadDeal) bool {
	return d.object(leadDealFields, func(i int) bool {
		switch i {
		case 0: // id
			return d.int64(&deal.ID)
		case 1: // label
			return d.string(&deal.Label)
		case 2: // deal_value
			return d.float64(&deal.DealValue)
		case 3: // currency_code
			return d.string(&deal.CurrencyCode)
		case 4: // stage_id
			return d.int64(&deal.StageID)
		case 5: // stage_label
			return d.string(&deal.StageLabel)
		case 6: // stage_series
			return d.int(&deal.StageSeries)
		case 7: // stage_phase
			return d.string(&deal.StagePhase)
		}
		return false
	})
}
