package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
)

// defaultConnection names the connection when no .spc file is used.
const defaultConnection = "journeybee"

// errUsage marks errors in how the command was invoked (exit status 2).
var errUsage = errors.New("usage")

// defaultConfigPath is Steampipe's config file for the plugin:
// $STEAMPIPE_INSTALL_DIR/config/journeybee.spc, else under ~/.steampipe.
func defaultConfigPath() string {
	dir := os.Getenv("STEAMPIPE_INSTALL_DIR")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".steampipe")
	}
	return filepath.Join(dir, "config", "journeybee.spc")
}

// connectionConfig finds the connection to run: the block named name (or
// the first journeybee block) of the file at path. An explicit path must
// exist; the default one is used only if it does. secrets are the values
// of the block's credential arguments, never to be printed.
func connectionConfig(path string, explicit bool, name string) (conn pluginhost.Connection, secrets []string, err error) {
	src, err := os.ReadFile(path)
	if err != nil {
		if !explicit && errors.Is(err, os.ErrNotExist) {
			if name == "" {
				name = defaultConnection
			}
			return pluginhost.Connection{Name: name}, nil, nil
		}
		if explicit {
			return conn, nil, fmt.Errorf("%w: config file: %w", errUsage, err)
		}
		return conn, nil, fmt.Errorf("config file: %w", err)
	}
	return parseConnection(src, path, name)
}

// parseConnection extracts a journeybee connection block from .spc source:
// its arguments but plugin, as HCL text, for the plugin to parse.
func parseConnection(src []byte, path, name string) (pluginhost.Connection, []string, error) {
	file, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
	if diags.HasErrors() {
		return pluginhost.Connection{}, nil, fmt.Errorf("config file: %s", diags.Error())
	}
	body := file.Body.(*hclsyntax.Body)
	var seen []string
	for _, block := range body.Blocks {
		if block.Type != "connection" || len(block.Labels) != 1 {
			continue
		}
		label := block.Labels[0]
		plugin, ok := pluginName(block.Body)
		if name != "" && label == name && !ok {
			return pluginhost.Connection{}, nil, fmt.Errorf("%w: connection %q in %s is not a journeybee connection (plugin = %q)", errUsage, name, path, plugin)
		}
		if !ok {
			continue
		}
		seen = append(seen, label)
		if name != "" && label != name {
			continue
		}
		return connectionFrom(label, block.Body, src)
	}
	if name == "" {
		return pluginhost.Connection{}, nil, fmt.Errorf("%w: %s has no connection block with plugin journeybee", errUsage, path)
	}
	return pluginhost.Connection{}, nil, fmt.Errorf("%w: %s has no journeybee connection %q (it has: %s)", errUsage, path, name, strings.Join(seen, ", "))
}

// pluginName reads a block's plugin argument and reports whether it names
// this plugin: "journeybee", or any path ending in "/journeybee", with an
// optional @version.
func pluginName(body *hclsyntax.Body) (string, bool) {
	attr, ok := body.Attributes["plugin"]
	if !ok {
		return "", false
	}
	plugin, ok := stringValue(attr)
	if !ok {
		return "", false
	}
	base, _, _ := strings.Cut(plugin, "@")
	return plugin, base == "journeybee" || strings.HasSuffix(base, "/journeybee")
}

// connectionFrom copies a block's arguments, plugin excepted, verbatim.
func connectionFrom(label string, body *hclsyntax.Body, src []byte) (pluginhost.Connection, []string, error) {
	var attrs []*hclsyntax.Attribute
	for _, attr := range body.Attributes {
		if attr.Name != "plugin" {
			attrs = append(attrs, attr)
		}
	}
	slices.SortFunc(attrs, func(a, b *hclsyntax.Attribute) int { return a.SrcRange.Start.Byte - b.SrcRange.Start.Byte })
	var config strings.Builder
	var secrets []string
	for _, attr := range attrs {
		config.Write(attr.SrcRange.SliceBytes(src))
		config.WriteByte('\n')
		if isSecret(attr.Name) {
			if v, ok := stringValue(attr); ok {
				secrets = append(secrets, v)
			}
		}
	}
	return pluginhost.Connection{Name: label, Config: config.String()}, secrets, nil
}

// stringValue is an argument's value when it is a constant string.
func stringValue(attr *hclsyntax.Attribute) (string, bool) {
	var s string
	diags := gohcl.DecodeExpression(attr.Expr, nil, &s)
	return s, !diags.HasErrors()
}

func isSecret(name string) bool {
	for _, word := range []string{"key", "token", "secret", "password"} {
		if strings.Contains(name, word) {
			return true
		}
	}
	return false
}
