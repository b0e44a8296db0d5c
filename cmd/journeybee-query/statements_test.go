package main

import (
	"slices"
	"testing"
)

func TestSplitStatements(t *testing.T) {
	for _, tc := range []struct {
		sql  string
		want []string
	}{
		{"select 1", []string{"select 1"}},
		{"select 1; select 2;", []string{"select 1", "select 2"}},
		{"select 'a;b'; select \"c;\"\"d\"", []string{"select 'a;b'", "select \"c;\"\"d\""}},
		{"select 'it''s;'; select [x;y] from t", []string{"select 'it''s;'", "select [x;y] from t"}},
		{"select 1 -- a; comment\n; /* ; */ select 2", []string{"select 1 -- a; comment", "/* ; */ select 2"}},
		{"; ;  -- only a comment\n;", nil},
		{"select `a;b`", []string{"select `a;b`"}},
		{"select 'unterminated; still one", []string{"select 'unterminated; still one"}},
	} {
		if got := splitStatements(tc.sql); !slices.Equal(got, tc.want) {
			t.Errorf("splitStatements(%q) = %q, want %q", tc.sql, got, tc.want)
		}
	}
}
