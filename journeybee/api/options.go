package api

import (
	"fmt"
	"net/url"
)

// Encoding helpers shared by the options types' Values methods.

// setAssignment sends assigned=1 or unassigned=1, the API's on/off
// assignment parameters, when asked for.
func setAssignment(q url.Values, assigned, unassigned bool) {
	if assigned {
		q.Set("assigned", "1")
	}
	if unassigned {
		q.Set("unassigned", "1")
	}
}

// setIDs sets name to the ids as CSV, when there are any.
func setIDs(q url.Values, name string, ids []int64) {
	if len(ids) > 0 {
		q.Set(name, joinCSV(ids, formatID))
	}
}

// validateAssignment refuses assigned and unassigned together: no record
// (what: "deal", "partnership") is both.
func validateAssignment(assigned, unassigned bool, what string) error {
	if assigned && unassigned {
		return fmt.Errorf("assigned and unassigned cannot both be requested: no %s is both", what)
	}
	return nil
}

// enumValue is an option value that must be one of allowed, or empty.
type enumValue struct {
	name, value string
	allowed     []string
}

// validateEnums reports the first value outside its allowed set.
func validateEnums(values ...enumValue) error {
	for _, v := range values {
		if v.value == "" {
			continue
		}
		if _, err := parseEnum(v.value, v.allowed, v.name); err != nil {
			return err
		}
	}
	return nil
}

// setNonEmpty sets each name, value pair whose value is not empty.
func setNonEmpty(q url.Values, namesAndValues ...string) url.Values {
	for i := 0; i+1 < len(namesAndValues); i += 2 {
		if namesAndValues[i+1] != "" {
			q.Set(namesAndValues[i], namesAndValues[i+1])
		}
	}
	return q
}
