package main

import (
	"encoding/json"
	"net/http"
)

// healthHandler answers /api/health as the seed app did: "All services OK (including Redis service
// using local memory)" once suspended, "All services OK (Redis: connected)" while Redis is used.
func healthHandler(state func() appState, redisErr func() error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		code, body := health(state(), redisErr())
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(body)
	})
}

type healthBody struct {
	Status  string `json:"status"`
	Redis   string `json:"redis,omitempty"`
	Message string `json:"message"`
}

func health(s appState, redisErr error) (int, healthBody) {
	switch {
	case s.mode == noPods:
		return http.StatusServiceUnavailable, healthBody{Status: "unavailable", Message: "no pods of the current version"}
	case s.mode == localMemory:
		return http.StatusOK, healthBody{Status: "ok", Redis: "suspended",
			Message: "All services OK (including Redis service using local memory)"}
	case redisErr != nil:
		return http.StatusServiceUnavailable, healthBody{Status: "degraded", Redis: "unreachable",
			Message: "Redis service unreachable"}
	default:
		return http.StatusOK, healthBody{Status: "ok", Redis: "connected", Message: "All services OK (Redis: connected)"}
	}
}
