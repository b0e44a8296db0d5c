package api

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
)

// The pace shared by every process on the machine that uses one API key at
// one origin: a Steampipe service, each Postgres backend of the standalone
// FDW (each has its own copy of the plugin), journeybee-query jobs. It is a
// token bucket, like the per-process limiter (burst tokens, refilled at
// (perMinute-burst)/60 per second, so no 60 s window admits more than
// perMinute), whose state lives in a small file of the state directory,
// named by a hash of key and origin. A request takes a token under an
// exclusive flock and, when none is left, waits outside the lock and tries
// again. Nothing is reserved ahead: a process killed while waiting holds
// nothing, and one killed mid-request spent only that request's token.

// pacer is what every request waits on before it is sent.
type pacer interface {
	Wait(ctx context.Context) error
}

// sharedPace is the file-backed bucket. fallback paces this process alone
// when the file cannot be used (said once in the log).
type sharedPace struct {
	path     string
	burst    float64
	perSec   float64
	fallback pacer
	logger   hclog.Logger
	now      func() time.Time
	sleep    func(ctx context.Context, d time.Duration) error
}

func newSharedPace(dir *stateDir, apiKey, origin string, perMinute int, fallback pacer, logger hclog.Logger) *sharedPace {
	limit := RateLimitOf(perMinute)
	return &sharedPace{
		path:     dir.file("pace-" + stateName("pace", apiKey, origin)),
		burst:    float64(limit.Burst),
		perSec:   limit.perSecond(),
		fallback: fallback,
		logger:   logger,
		now:      time.Now,
		sleep:    sleepContext,
	}
}

// Wait returns when this process may send one request, or with ctx's error,
// or at once with an error when the wait would outlast ctx's deadline.
func (p *sharedPace) Wait(ctx context.Context) error {
	for {
		wait, err := p.take(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			warnOnce(p.logger, "pace|"+p.path, "journeybee api: the shared rate-limit state cannot be used; pacing this process alone", "path", p.path, "error", err.Error())
			return p.fallback.Wait(ctx)
		}
		if wait <= 0 {
			return nil
		}
		if deadline, ok := ctx.Deadline(); ok && p.now().Add(wait).After(deadline) {
			return fmt.Errorf("journeybee api: the next rate-limit slot is %s away, after the deadline", wait.Round(time.Millisecond))
		}
		// A little jitter, so that processes waiting for the same token do
		// not all come back at once.
		if err := p.sleep(ctx, wait+rand.N(wait/10+time.Millisecond)); err != nil {
			return err
		}
	}
}

// take takes a token if one is there (wait 0), else reports how long until
// one will be.
func (p *sharedPace) take(ctx context.Context) (time.Duration, error) {
	f, unlock, err := lockFile(ctx, p.path)
	if err != nil {
		return 0, err
	}
	defer unlock()
	now := p.now()
	tokens, err := p.tokensAt(f, now)
	if err != nil {
		return 0, err
	}
	if tokens < 1 {
		return p.waitFor(tokens), p.write(f, tokens, now)
	}
	return 0, p.write(f, tokens-1, now)
}

// tokensAt is the bucket's tokens at now, refilled since they were last
// counted. A clock that went back leaves the bucket as it was: refilling
// starts again from now, never from the future.
func (p *sharedPace) tokensAt(f *os.File, now time.Time) (float64, error) {
	tokens, last, err := p.read(f, now)
	if err != nil {
		return 0, err
	}
	if elapsed := now.Sub(last); elapsed > 0 {
		tokens = min(p.burst, tokens+elapsed.Seconds()*p.perSec)
	}
	return tokens, nil
}

// waitFor is how long until a bucket holding tokens (< 1) holds one,
// rounded up: a wait that rounds to 0 would read as a token taken.
func (p *sharedPace) waitFor(tokens float64) time.Duration {
	wait := time.Duration(math.Ceil((1 - tokens) / p.perSec * float64(time.Second)))
	return max(wait, time.Nanosecond)
}

// nextWait is how long the next request would wait, without taking a
// token: what a progress line shows (events.go). 0 when it would not wait
// or the state cannot be read.
func (p *sharedPace) nextWait(ctx context.Context) time.Duration {
	f, unlock, err := lockFile(ctx, p.path)
	if err != nil {
		return 0
	}
	defer unlock()
	tokens, err := p.tokensAt(f, p.now())
	if err != nil || tokens >= 1 {
		return 0
	}
	return p.waitFor(tokens)
}

// paceFormat is the state file: tokens left and when they were counted.
const paceFormat = "journeybee-pace v1 %s %d"

// paceRecordSize is the state file's fixed length: every write covers the
// whole of the one before it, so the file never needs truncating.
const paceRecordSize = 80

// read returns the bucket's state. An empty file is a new bucket (full);
// a file that does not parse, from a crash mid-write or another program, is
// an empty bucket counted from now: recovery may cost a little pace, never
// more requests than the budget.
func (p *sharedPace) read(f *os.File, now time.Time) (float64, time.Time, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, time.Time{}, err
	}
	raw, err := io.ReadAll(io.LimitReader(f, 256))
	if err != nil {
		return 0, time.Time{}, err
	}
	if len(raw) == 0 {
		return p.burst, now, nil
	}
	fields := strings.Fields(string(raw))
	if len(fields) == 4 && fields[0] == "journeybee-pace" && fields[1] == "v1" {
		tokens, err1 := strconv.ParseFloat(fields[2], 64)
		nanos, err2 := strconv.ParseInt(fields[3], 10, 64)
		if err1 == nil && err2 == nil && !math.IsNaN(tokens) && tokens <= p.burst && tokens > -1 {
			return tokens, time.Unix(0, nanos), nil
		}
	}
	warnOnce(p.logger, "pace-corrupt|"+p.path, "journeybee api: the shared rate-limit state was unreadable and starts again empty", "path", p.path)
	return 0, now, nil
}

// write overwrites the state in place, padded to paceRecordSize. It never
// truncates: on ext4 a truncate followed by a write flushes the file to
// disk when it is closed (auto_da_alloc), which cost every request
// milliseconds.
func (p *sharedPace) write(f *os.File, tokens float64, at time.Time) error {
	line := fmt.Sprintf(paceFormat, strconv.FormatFloat(tokens, 'g', -1, 64), at.UnixNano())
	if len(line) >= paceRecordSize {
		return fmt.Errorf("the rate-limit state %q is longer than its %d-byte record", line, paceRecordSize)
	}
	// Padded with spaces, which the reader's fields ignore.
	record := fmt.Appendf(nil, "%-*s\n", paceRecordSize-1, line)
	if _, err := f.WriteAt(record, 0); err != nil {
		return err
	}
	// Longer content, from another program or a crash, would outlive the
	// record and leave the state unreadable for good.
	if info, err := f.Stat(); err != nil || info.Size() > paceRecordSize {
		return f.Truncate(paceRecordSize)
	}
	return nil
}
