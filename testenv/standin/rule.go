package main

import (
	"fmt"
	"sort"
	"strings"
)

// A parseRule is how the app's code turns the flag string into a boolean.
type parseRule func(value string) bool

// parseRules are the rules the stand-in can play. The default is the incident app's own line,
// os.getenv("SUSPEND_REDIS", "false").lower() == "true": no trimming, so " true" reads as false.
var parseRules = map[string]parseRule{
	"LowercaseTrue":        func(v string) bool { return strings.ToLower(v) == "true" },
	"TrimmedLowercaseTrue": func(v string) bool { return strings.ToLower(strings.TrimSpace(v)) == "true" },
	"ExactTrue":            func(v string) bool { return v == "true" },
}

const defaultParseRule = "LowercaseTrue"

func lookupParseRule(name string) (parseRule, error) {
	if r, ok := parseRules[name]; ok {
		return r, nil
	}
	names := make([]string, 0, len(parseRules))
	for n := range parseRules {
		names = append(names, n)
	}
	sort.Strings(names)
	return nil, fmt.Errorf("unknown parse rule %q (one of %s)", name, strings.Join(names, ", "))
}

// readsSuspend is what the app concludes at start-up: a variable that is not set reads as the
// getenv default "false".
func readsSuspend(rule parseRule, value string, present bool) bool {
	if !present {
		value = "false"
	}
	return rule(value)
}
