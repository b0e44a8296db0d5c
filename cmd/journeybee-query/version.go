package main

import (
	"runtime"
	"runtime/debug"
	"strings"
)

// version is set at build time (-ldflags "-X main.version=v1.2.3"); without
// it the module version and VCS revision of the build are shown.
var version = ""

func versionText() string {
	v, sdk, rev := version, "", ""
	if info, ok := debug.ReadBuildInfo(); ok {
		if v == "" {
			v = info.Main.Version
		}
		for _, dep := range info.Deps {
			if dep.Path == "github.com/turbot/steampipe-plugin-sdk/v5" {
				sdk = dep.Version
			}
		}
		var modified bool
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value[:min(12, len(s.Value))]
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if rev != "" && modified {
			rev += "+dirty"
		}
	}
	parts := []string{"journeybee-query " + orUnknown(v)}
	if rev != "" {
		parts = append(parts, "commit "+rev)
	}
	parts = append(parts, "steampipe-plugin-sdk "+orUnknown(sdk), runtime.Version())
	return strings.Join(parts, ", ")
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
