package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

const (
	keys = 100 // the cache entries the app reads, written once at start
	tick = 50 * time.Millisecond
)

// getLoad sends the app's GETs to Redis at the rate its pods currently produce.
type getLoad struct {
	rdb     *redis.Client
	rate    atomic.Uint64 // math.Float64bits of GETs per second
	lastErr atomic.Pointer[error]
}

func (g *getLoad) setRate(perSecond float64) { g.rate.Store(math.Float64bits(perSecond)) }

// err is the outcome of the last round trip to Redis (nil when it worked).
func (g *getLoad) err() error {
	if p := g.lastErr.Load(); p != nil {
		return *p
	}
	return nil
}

func (g *getLoad) record(err error) { g.lastErr.Store(&err) }

func (g *getLoad) run(ctx context.Context) {
	g.prime(ctx)
	t := time.NewTicker(tick)
	defer t.Stop()
	last, carry := time.Now(), 0.0
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			var n int
			n, carry = due(carry, math.Float64frombits(g.rate.Load()), now.Sub(last))
			last = now
			if n > 0 {
				g.record(g.send(ctx, n))
			}
		}
	}
}

// prime writes the cache entries once, so the app's GETs hit (SET is not counted as a GET).
func (g *getLoad) prime(ctx context.Context) {
	for ctx.Err() == nil {
		pipe := g.rdb.Pipeline()
		for i := range keys {
			pipe.Set(ctx, key(i), "cached", 0)
		}
		_, err := pipe.Exec(ctx)
		g.record(err)
		if err == nil {
			return
		}
		time.Sleep(time.Second)
	}
}

func (g *getLoad) send(ctx context.Context, n int) error {
	pipe := g.rdb.Pipeline()
	for i := range n {
		pipe.Get(ctx, key(i%keys))
	}
	_, err := pipe.Exec(ctx)
	if errors.Is(err, redis.Nil) { // a missing entry is a cache miss, not a failure
		return nil
	}
	return err
}

func key(i int) string { return fmt.Sprintf("cache:item:%d", i) }

// due is how many GETs are due after dt at the given rate, carrying the fraction over. The carry
// is capped at one second's worth, so a stalled tick does not turn into a burst.
func due(carry, perSecond float64, dt time.Duration) (int, float64) {
	if perSecond <= 0 {
		return 0, 0
	}
	carry = math.Min(carry+perSecond*dt.Seconds(), math.Max(perSecond, 1))
	n := math.Floor(carry)
	return int(n), carry - n
}
