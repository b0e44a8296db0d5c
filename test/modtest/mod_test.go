package modtest

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// modDir is the Powerpipe mod under test.
const modDir = "../../powerpipe"

// mod is what the tests need of the mod's HCL: its queries with their SQL
// resolved (locals interpolated) and the dashboards' panels with the query
// and the arguments each passes.
type mod struct {
	locals     map[string]cty.Value
	queries    map[string]*modQuery
	dashboards []*modDashboard
	vars       map[string]cty.Value
}

type modQuery struct {
	name   string
	sql    string
	params []modParam
}

type modParam struct {
	name string
	def  *string // nil: no default
}

// modDashboard is a dashboard, or a benchmark whose panels are its
// controls.
type modDashboard struct {
	name      string
	benchmark bool
	inputs    []string
	panels    []*modPanel
}

// modPanel is a block with a query: a card, chart, table or input.
type modPanel struct {
	kind, name string // name is the label of a labelled block (inputs)
	query      string
	args       hcl.Expression // nil: none
}

// loadMod parses every .pp file of the mod. Dashboards' documentation
// (file()) and hrefs are not evaluated: only what drives queries is.
func loadMod(t *testing.T) *mod {
	t.Helper()
	var bodies []*hclsyntax.Body
	err := walkModFiles(modDir, func(_ string, _ []byte, body *hclsyntax.Body) error {
		bodies = append(bodies, body)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	m := &mod{queries: map[string]*modQuery{}, vars: map[string]cty.Value{}}
	locals := map[string]*hclsyntax.Attribute{}
	for _, body := range bodies {
		for _, b := range body.Blocks {
			switch b.Type {
			case "locals":
				for name, attr := range b.Body.Attributes {
					locals[name] = attr
				}
			case "variable":
				// Variables whose default is not a plain value (the
				// database connection) are left out.
				if def, ok := b.Body.Attributes["default"]; ok {
					if v, diags := def.Expr.Value(nil); !diags.HasErrors() {
						m.vars[b.Labels[0]] = v
					}
				}
			}
		}
	}
	ctx := m.evalContext(nil)
	resolved := map[string]cty.Value{}
	// Locals may refer to locals: evaluate until nothing more resolves.
	for len(resolved) < len(locals) {
		progress := false
		for name, attr := range locals {
			if _, done := resolved[name]; done {
				continue
			}
			ctx.Variables["local"] = cty.ObjectVal(resolved)
			if v, diags := attr.Expr.Value(ctx); !diags.HasErrors() {
				resolved[name] = v
				progress = true
			}
		}
		if !progress {
			t.Fatalf("locals do not resolve: %d of %d resolved", len(resolved), len(locals))
		}
	}
	ctx.Variables["local"] = cty.ObjectVal(resolved)
	m.locals = resolved

	controls := map[string]*modPanel{}
	var benchmarks []*hclsyntax.Block
	for _, body := range bodies {
		for _, b := range body.Blocks {
			switch b.Type {
			case "query":
				m.queries[b.Labels[0]] = parseQuery(t, b, ctx)
			case "dashboard":
				d := &modDashboard{name: b.Labels[0]}
				collectPanels(t, b.Body, d)
				m.dashboards = append(m.dashboards, d)
			case "control":
				controls[b.Labels[0]] = &modPanel{kind: "control", name: b.Labels[0], query: queryRef(t, b, b.Labels[0])}
			case "benchmark":
				benchmarks = append(benchmarks, b)
			}
		}
	}
	for _, b := range benchmarks {
		d := &modDashboard{name: b.Labels[0], benchmark: true}
		children, ok := b.Body.Attributes["children"].Expr.(*hclsyntax.TupleConsExpr)
		if !ok {
			t.Fatalf("benchmark %s: children is not a list", d.name)
		}
		for _, c := range children.Exprs {
			trav, diags := hcl.AbsTraversalForExpr(c)
			if diags.HasErrors() || len(trav) != 2 || trav.RootName() != "control" || controls[trav[1].(hcl.TraverseAttr).Name] == nil {
				t.Fatalf("benchmark %s: a child is not a control of the mod", d.name)
			}
			d.panels = append(d.panels, controls[trav[1].(hcl.TraverseAttr).Name])
		}
		m.dashboards = append(m.dashboards, d)
	}
	return m
}

// walkModFiles parses every .pp file under dir and calls fn with its path,
// source and body.
func walkModFiles(dir string, fn func(path string, src []byte, body *hclsyntax.Body) error) error {
	return filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".pp" {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		file, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
		if diags.HasErrors() {
			return diags
		}
		return fn(path, src, file.Body.(*hclsyntax.Body))
	})
}

// queryRef is the name of the query.<name> a block's query attribute
// refers to.
func queryRef(t *testing.T, b *hclsyntax.Block, owner string) string {
	t.Helper()
	attr, ok := b.Body.Attributes["query"]
	if !ok {
		t.Fatalf("%s %s has no query", b.Type, owner)
	}
	trav, diags := hcl.AbsTraversalForExpr(attr.Expr)
	if diags.HasErrors() || len(trav) != 2 || trav.RootName() != "query" {
		t.Fatalf("%s %s: query is not a query.<name> reference", b.Type, owner)
	}
	return trav[1].(hcl.TraverseAttr).Name
}

// evalContext evaluates HCL with the mod's variables and locals and, for a
// dashboard's panels, the chosen input values as self.input.<name>.value.
func (m *mod) evalContext(inputs map[string]string) *hcl.EvalContext {
	self := map[string]cty.Value{}
	for name, v := range inputs {
		self[name] = cty.ObjectVal(map[string]cty.Value{"value": cty.StringVal(v)})
	}
	vars := map[string]cty.Value{"var": cty.ObjectVal(m.vars), "self": cty.ObjectVal(map[string]cty.Value{"input": cty.ObjectVal(self)})}
	return &hcl.EvalContext{Variables: vars}
}

func parseQuery(t *testing.T, b *hclsyntax.Block, ctx *hcl.EvalContext) *modQuery {
	t.Helper()
	q := &modQuery{name: b.Labels[0]}
	attr, ok := b.Body.Attributes["sql"]
	if !ok {
		t.Fatalf("query %s has no sql", q.name)
	}
	v, diags := attr.Expr.Value(ctx)
	if diags.HasErrors() {
		t.Fatalf("query %s: %v", q.name, diags)
	}
	q.sql = v.AsString()
	for _, p := range b.Body.Blocks {
		if p.Type != "param" {
			continue
		}
		param := modParam{name: p.Labels[0]}
		if def, ok := p.Body.Attributes["default"]; ok {
			v, diags := def.Expr.Value(ctx)
			if diags.HasErrors() {
				t.Fatalf("query %s param %s: %v", q.name, param.name, diags)
			}
			s := argString(t, v)
			param.def = &s
		}
		q.params = append(q.params, param)
	}
	return q
}

func collectPanels(t *testing.T, body *hclsyntax.Body, d *modDashboard) {
	t.Helper()
	for _, b := range body.Blocks {
		if b.Type == "input" {
			d.inputs = append(d.inputs, b.Labels[0])
		}
		if _, ok := b.Body.Attributes["query"]; ok {
			p := &modPanel{kind: b.Type, query: queryRef(t, b, "in dashboard "+d.name)}
			if len(b.Labels) > 0 {
				p.name = b.Labels[0]
			}
			if args, ok := b.Body.Attributes["args"]; ok {
				p.args = args.Expr
			}
			d.panels = append(d.panels, p)
		}
		collectPanels(t, b.Body, d)
	}
}

// call is one execution of a query: the positional arguments a panel
// passes, as text.
type call struct {
	query string
	args  []string
}

func (c call) String() string { return fmt.Sprintf("%s(%s)", c.query, strings.Join(c.args, ", ")) }

// calls lists the query executions of a dashboard loaded with the given
// input values, in panel order, without repeats.
func (m *mod) calls(t *testing.T, d *modDashboard, inputs map[string]string) []call {
	t.Helper()
	ctx := m.evalContext(inputs)
	var out []call
	for _, p := range d.panels {
		q, ok := m.queries[p.query]
		if !ok {
			t.Fatalf("dashboard %s refers to an unknown query %s", d.name, p.query)
		}
		named := map[string]string{}
		if p.args != nil {
			v, diags := p.args.Value(ctx)
			if diags.HasErrors() {
				t.Fatalf("dashboard %s, %s panel of query %s: args: %v", d.name, p.kind, p.query, diags)
			}
			for k, a := range v.AsValueMap() {
				named[k] = argString(t, a)
			}
		}
		c := call{query: q.name}
		for _, param := range q.params {
			a, ok := named[param.name]
			switch {
			case ok:
				delete(named, param.name)
			case param.def != nil:
				a = *param.def
			default:
				t.Fatalf("dashboard %s: query %s needs param %s and the panel gives none", d.name, q.name, param.name)
			}
			c.args = append(c.args, a)
		}
		if len(named) > 0 {
			t.Fatalf("dashboard %s passes query %s args it has no param for: %v", d.name, q.name, named)
		}
		if !slices.ContainsFunc(out, func(o call) bool { return o.String() == c.String() }) {
			out = append(out, c)
		}
	}
	return out
}

// argString is an argument as Powerpipe sends it, written as text.
func argString(t *testing.T, v cty.Value) string {
	t.Helper()
	switch v.Type() {
	case cty.String:
		return v.AsString()
	case cty.Number:
		f, _ := v.AsBigFloat().Float64()
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	t.Fatalf("unsupported argument type %s", v.Type().FriendlyName())
	return ""
}
