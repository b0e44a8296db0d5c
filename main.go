package main

import (
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
)

func main() {
	plugin.Serve(&plugin.ServeOpts{PluginFunc: journeybee.Plugin})
}
