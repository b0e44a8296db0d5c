package journeybee

import "github.com/turbot/steampipe-plugin-sdk/v5/plugin"

// withoutQueryCache keeps every table off the SDK's query cache: with it
// on, a reader that stops for a moment (one side of a join, a slow panel)
// can lose rows and repeat others without an error, and nothing in a plugin
// can prevent that (docs/index.md, "Caching";
// TestConcurrentIdenticalScansWithSlowConsumersReturnEveryLeadOnce). Each
// filter still declares its cache match for the day the cache can come
// back; meanwhile the client's reply cache serves repeated requests.
func withoutQueryCache(tables map[string]*plugin.Table) map[string]*plugin.Table {
	for _, t := range tables {
		t.Cache = &plugin.TableCacheOptions{Enabled: false}
	}
	return tables
}
