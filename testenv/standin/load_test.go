package main

import (
	"testing"
	"time"
)

func TestDueSpreadsTheRateOverTicks(t *testing.T) {
	total, carry := 0, 0.0
	for range 20 { // one second of 50 ms ticks at 30 GET/s
		var n int
		n, carry = due(carry, 30, 50*time.Millisecond)
		total += n
	}
	if total != 30 {
		t.Fatalf("sent %d GETs in a second at 30/s", total)
	}
}

func TestDueSendsNothingAtRateZeroAndDropsTheCarry(t *testing.T) {
	if n, carry := due(0.9, 0, time.Second); n != 0 || carry != 0 {
		t.Fatalf("got %d, %g", n, carry)
	}
}

func TestAStallDoesNotTurnIntoABurst(t *testing.T) {
	if n, _ := due(0, 20, time.Minute); n != 20 {
		t.Fatalf("after a one-minute stall at 20/s: %d GETs at once, want at most one second's worth", n)
	}
}
