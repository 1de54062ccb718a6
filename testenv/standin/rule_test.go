package main

import (
	"strings"
	"testing"
)

func TestTheIncidentsRuleLowercasesButDoesNotTrim(t *testing.T) {
	rule, err := lookupParseRule(defaultParseRule)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		value   string
		present bool
		want    bool
	}{
		{"true", true, true},
		{"TRUE", true, true},
		{"True", true, true},
		{" true", true, false}, // os.getenv(...).lower() == "true" keeps the space
		{"true\n", true, false},
		{"fa61a13817d73a23", true, false}, // the digest pasted in the incident
		{"1", true, false},
		{"", true, false},
		{"", false, false}, // unset: getenv's default "false"
	}
	for _, c := range cases {
		if got := readsSuspend(rule, c.value, c.present); got != c.want {
			t.Errorf("%s with %q (present %t) = %t, want %t", defaultParseRule, c.value, c.present, got, c.want)
		}
	}
}

func TestTheOtherRules(t *testing.T) {
	trimmed, _ := lookupParseRule("TrimmedLowercaseTrue")
	exact, _ := lookupParseRule("ExactTrue")
	if !readsSuspend(trimmed, " TRUE\n", true) || readsSuspend(trimmed, "yes", true) {
		t.Error("TrimmedLowercaseTrue must strip and lowercase, nothing more")
	}
	if !readsSuspend(exact, "true", true) || readsSuspend(exact, "TRUE", true) || readsSuspend(exact, "", false) {
		t.Error("ExactTrue must compare bytes")
	}
}

func TestAnUnknownRuleNamesTheKnownOnes(t *testing.T) {
	_, err := lookupParseRule("Truthy")
	if err == nil || !strings.Contains(err.Error(), "ExactTrue, LowercaseTrue, TrimmedLowercaseTrue") {
		t.Fatalf("got %v", err)
	}
}
