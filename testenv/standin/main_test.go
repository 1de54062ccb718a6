package main

import "testing"

func TestOnlyLoopbackIsAccepted(t *testing.T) {
	for _, ok := range []string{"127.0.0.1:18081", "[::1]:6379", "127.0.0.2:1"} {
		if err := requireLoopback("--listen", ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"0.0.0.0:18081", "localhost:6379", "10.0.0.1:6379", ":8080", "169.254.1.1:80"} {
		if requireLoopback("--listen", bad) == nil {
			t.Errorf("%s was accepted", bad)
		}
	}
}
