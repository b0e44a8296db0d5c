package plugintest

import "database/sql"

// QueryAll runs query on db and reads every row, each value as
// database/sql gives it to an any.
func QueryAll(db *sql.DB, query string, args ...any) (columns []string, values [][]any, err error) {
	rows, err := db.Query(query, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	if columns, err = rows.Columns(); err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		row := make([]any, len(columns))
		dest := make([]any, len(columns))
		for i := range row {
			dest[i] = &row[i]
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, nil, err
		}
		values = append(values, row)
	}
	return columns, values, rows.Err()
}
