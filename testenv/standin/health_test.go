package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHealthAnswersLikeTheSeedApp(t *testing.T) {
	down := errors.New("dial tcp 127.0.0.1:1: connection refused")
	cases := []struct {
		name     string
		state    appState
		redisErr error
		code     int
		contains string
	}{
		{"suspended", appState{mode: localMemory, current: 2, suspended: 2}, nil, 200,
			"All services OK (including Redis service using local memory)"},
		{"suspended, Redis down does not matter", appState{mode: localMemory, current: 1, suspended: 1}, down, 200,
			"using local memory"},
		{"Redis in use", appState{mode: redisActive, current: 2, redisPods: 2}, nil, 200,
			"All services OK (Redis: connected)"},
		{"Redis in use but unreachable", appState{mode: redisActive, current: 2, redisPods: 2}, down, 503,
			"Redis service unreachable"},
		{"no pods", appState{}, nil, 503, "no pods"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h := healthHandler(func() appState { return c.state }, func() error { return c.redisErr })
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/health", nil))
			body := rec.Body.String()
			if rec.Code != c.code || !strings.Contains(body, c.contains) {
				t.Fatalf("got %d %s, want %d containing %q", rec.Code, body, c.code, c.contains)
			}
			if strings.Contains(body, "127.0.0.1") {
				t.Fatalf("the body must not leak connection details: %s", body)
			}
			var parsed healthBody
			if err := json.Unmarshal(rec.Body.Bytes(), &parsed); err != nil {
				t.Fatalf("not JSON: %v", err)
			}
		})
	}
}

func TestHealthRefusesWrites(t *testing.T) {
	rec := httptest.NewRecorder()
	healthHandler(func() appState { return appState{} }, func() error { return nil }).
		ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/api/health", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Fatalf("got %d", rec.Code)
	}
}
