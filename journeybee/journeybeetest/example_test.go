package journeybeetest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

// A test serves generated leads, fails the second request once, and checks
// what the client pushed down.
func ExampleNewServer() {
	s := journeybeetest.NewServer(journeybeetest.Config{
		Leads:    journeybeetest.GenerateLeads(500, 1),
		PageSize: 50,
		Faults:   []journeybeetest.Fault{{Kind: journeybeetest.FaultStatus, Status: 503, OnRequest: 2}},
	})
	defer s.Close()

	client, _ := api.NewClient(s.APIKey(), s.UserID(),
		api.WithBaseURL(s.URL),
		api.WithRetryPolicy(api.RetryPolicy{MaxRetries: 2, MinDelay: time.Millisecond, MaxDelay: time.Millisecond}))
	leads, err := client.AllLeads(context.Background(), api.ListLeadsOptions{View: api.ViewReceived, Statuses: []api.Status{api.StatusNew}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("leads:", len(leads), "total:", leads[0].Total)
	for _, r := range s.Requests()[:3] {
		fmt.Println(r.Number, r.Status, r.Query.Get("view"), r.Query.Get("status"), r.Query.Has("cursor"), r.Faults)
	}
	// Output:
	// leads: 58 total: 58
	// 1 200 received new false []
	// 2 503 received new true [status]
	// 3 200 received new true []
}
