package main

import "strings"

// splitStatements cuts SQL text into statements at the semicolons outside
// quotes, bracketed names and comments, as sqlite3 reads a script.
// Statements holding only whitespace and comments are dropped. (A CREATE
// TRIGGER body, whose semicolons sit between BEGIN and END, is not
// supported: the plugin's tables are read-only anyway.)
func splitStatements(sql string) []string {
	var out []string
	start := 0
	add := func(end int) {
		if stmt := strings.TrimSpace(sql[start:end]); hasCode(stmt) {
			out = append(out, stmt)
		}
	}
	for i := 0; i < len(sql); i++ {
		switch c := sql[i]; c {
		case '\'', '"', '`':
			i = closing(sql, i+1, c)
		case '[':
			i = closing(sql, i+1, ']')
		case '-':
			if strings.HasPrefix(sql[i:], "--") {
				if j := strings.IndexByte(sql[i:], '\n'); j >= 0 {
					i += j
				} else {
					i = len(sql)
				}
			}
		case '/':
			if strings.HasPrefix(sql[i:], "/*") {
				if j := strings.Index(sql[i+2:], "*/"); j >= 0 {
					i += j + 3
				} else {
					i = len(sql)
				}
			}
		case ';':
			add(i)
			start = i + 1
		}
	}
	if start < len(sql) {
		add(len(sql))
	}
	return out
}

// closing is the index of the quote that ends a quoted run starting at i
// (a doubled quote is an escaped one), or the end of the text.
func closing(sql string, i int, quote byte) int {
	for ; i < len(sql); i++ {
		if sql[i] == quote {
			if quote != ']' && i+1 < len(sql) && sql[i+1] == quote {
				i++
				continue
			}
			return i
		}
	}
	return len(sql)
}

// hasCode reports whether a statement holds more than comments.
func hasCode(stmt string) bool {
	for len(stmt) > 0 {
		stmt = strings.TrimSpace(stmt)
		switch {
		case strings.HasPrefix(stmt, "--"):
			j := strings.IndexByte(stmt, '\n')
			if j < 0 {
				return false
			}
			stmt = stmt[j+1:]
		case strings.HasPrefix(stmt, "/*"):
			j := strings.Index(stmt, "*/")
			if j < 0 {
				return false
			}
			stmt = stmt[j+2:]
		default:
			return stmt != ""
		}
	}
	return false
}
