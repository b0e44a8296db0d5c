package journeybee

import (
	"context"
	"errors"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
)

// Item endpoints (one lead, one deal) live under /companies/{companyId}/…,
// and the docs never say where that id comes from. It is the company_id
// every lead carries. The connection's company_id argument gives it; without
// it, the plugin reads it off the newest lead once per connection (one API
// request) and remembers it for the life of the plugin process.

// companyID returns the connection's company id. found is false when the
// account has no lead to read it from: then no lead or deal exists either.
func companyID(ctx context.Context, d *plugin.QueryData, client *api.Client) (id int64, found bool, err error) {
	s, err := connectionSettings(d)
	if err != nil {
		return 0, false, err
	}
	if s.companyID > 0 {
		return s.companyID, true, nil
	}
	state := stateOf(d.Table.Plugin)
	state.companiesMu.Lock()
	defer state.companiesMu.Unlock()
	if id, ok := state.companies[s.cacheKeyID]; ok {
		return id, true, nil
	}
	pager, err := client.ListLeads(api.ListLeadsOptions{}, api.ListOptions{})
	if err != nil {
		return 0, false, err
	}
	for page, err := range pager.Pages(ctx) {
		if err != nil {
			return 0, false, err
		}
		lead := page.Items[0]
		if lead.CompanyID == nil {
			return 0, false, errors.New("cannot tell the company id: the newest lead carries no company_id; set company_id in the connection config")
		}
		state.companies[s.cacheKeyID] = *lead.CompanyID
		return *lead.CompanyID, true, nil
	}
	return 0, false, nil
}
