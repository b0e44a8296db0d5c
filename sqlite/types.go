package sqlite

// Declared types of the virtual tables' columns. Each names the Steampipe
// type and ends with the SQLite affinity it maps to, so SQLite compares and
// stores values as that affinity while rows.ColumnTypes() still tells a
// client which TEXT holds JSON and which INTEGER is a boolean.
const (
	TypeText      = "TEXT"            // STRING
	TypeInteger   = "INTEGER"         // INT
	TypeReal      = "REAL"            // DOUBLE
	TypeBool      = "BOOLEAN INTEGER" // BOOL, as 0 or 1
	TypeTimestamp = "TIMESTAMP TEXT"  // TIMESTAMP, as RFC 3339 UTC text
	TypeJSON      = "JSON TEXT"       // JSON, as its JSON text
	TypeInet      = "INET TEXT"       // IPADDR and INET
	TypeCIDR      = "CIDR TEXT"       // CIDR
	TypeLtree     = "LTREE TEXT"      // LTREE
)
