package api

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
)

// The reply cache shared by the processes on the machine (see cache.go for
// the one inside a process): a reply fetched by one plugin copy answers an
// identical request of any other within the TTL, so a dashboard through the
// standalone FDW, a plugin per Postgres connection, costs what it costs
// under one Steampipe service.
//
// Each reply is a file of the private state directory, in replies/, named by
// a hash of the API key and the request URL. One process fetches while the
// others wait: the fetch happens under an exclusive flock on the reply's
// .lock file, and a waiter that gets the lock finds the reply there. The
// kernel drops a killed fetcher's lock, so its waiters fetch themselves.
// Failures are never written. A reply file's modification time is its
// expiry; expired replies are deleted by the next sweep (every process
// sweeps as it starts and after writing, at most every sweepEvery), and the
// directory is kept under maxBytes, the soonest to expire going first.

// DefaultDiskCacheBytes bounds the replies kept on disk.
const DefaultDiskCacheBytes = 256 << 20

const (
	replyDir   = "replies"
	lockSuffix = ".lock"
	sweepEvery = 30 * time.Second
	// lockFileAge is how long an idle lock file stays: far longer than a
	// fetch can hold one (its attempts are bounded by the request timeout
	// and the retry policy).
	lockFileAge = time.Hour
	// replyMagic starts a reply file: magic, the time it was fetched (Unix
	// nanoseconds) and the body's length, then the body.
	replyMagic = "journeybee-reply v1"
)

type diskCache struct {
	dir      string
	apiKey   string
	maxBytes int64
	logger   hclog.Logger
	now      func() time.Time

	mu        sync.Mutex
	lastSweep time.Time
}

// newDiskCache opens the replies directory of dir and sweeps it once.
func newDiskCache(dir *stateDir, apiKey string, maxBytes int64, logger hclog.Logger) (*diskCache, error) {
	path := dir.file(replyDir)
	if err := os.MkdirAll(path, 0o700); err != nil {
		return nil, err
	}
	c := &diskCache{dir: path, apiKey: apiKey, maxBytes: maxBytes, logger: logger, now: time.Now}
	c.sweep(true)
	return c, nil
}

// get returns url's reply from disk when it is younger than ttl, else from
// fetch, which runs in one process at a time per URL. It also returns when
// the reply was fetched. A disk that fails is logged once and skipped: the
// request goes to the API.
func (c *diskCache) get(ctx context.Context, url string, ttl time.Duration, fetch func() ([]byte, error)) ([]byte, time.Time, error) {
	path := filepath.Join(c.dir, stateName("reply", c.apiKey, url))
	if body, at, ok := c.read(path, ttl); ok {
		return body, at, nil
	}
	_, unlock, err := lockFile(ctx, path+lockSuffix)
	if err != nil {
		if ctx.Err() != nil {
			return nil, time.Time{}, ctx.Err()
		}
		warnOnce(c.logger, "disk|"+c.dir, "journeybee api: the shared reply cache cannot be used; this process fetches on its own", "path", c.dir, "error", err.Error())
		body, err := fetch()
		return body, c.now(), err
	}
	defer unlock()
	// Whoever held the lock before may have fetched it.
	if body, at, ok := c.read(path, ttl); ok {
		return body, at, nil
	}
	body, err := fetch()
	if err != nil {
		return nil, time.Time{}, err
	}
	at := c.now()
	if err := c.write(path, body, at, ttl); err != nil {
		warnOnce(c.logger, "disk-write|"+c.dir, "journeybee api: a reply could not be written to the shared reply cache", "path", c.dir, "error", err.Error())
	}
	c.sweep(false)
	return body, at, nil
}

// read returns the reply in path if it is whole and younger than ttl.
func (c *diskCache) read(path string, ttl time.Duration) ([]byte, time.Time, bool) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, time.Time{}, false
	}
	header, body, ok := bytes.Cut(raw, []byte{'\n'})
	fields := strings.Fields(string(header))
	if !ok || len(fields) != 4 || fields[0]+" "+fields[1] != replyMagic {
		os.Remove(path) // not ours or cut short: never served
		return nil, time.Time{}, false
	}
	nanos, err1 := strconv.ParseInt(fields[2], 10, 64)
	size, err2 := strconv.Atoi(fields[3])
	if err1 != nil || err2 != nil || size != len(body) {
		os.Remove(path)
		return nil, time.Time{}, false
	}
	at := time.Unix(0, nanos)
	// Younger than this reader's TTL, and than the writer's: the file's
	// modification time is the expiry its writer gave it.
	now := c.now()
	if age := now.Sub(at); age < 0 || age >= ttl {
		return nil, time.Time{}, false
	}
	if info, err := os.Stat(path); err != nil || !now.Before(info.ModTime()) {
		return nil, time.Time{}, false
	}
	return body, at, true
}

func (c *diskCache) write(path string, body []byte, at time.Time, ttl time.Duration) error {
	data := make([]byte, 0, len(body)+64)
	data = fmt.Appendf(data, "%s %d %d\n", replyMagic, at.UnixNano(), len(body))
	data = append(data, body...)
	return writeFileAtomic(path, data, at.Add(ttl))
}

// sweep deletes expired replies, idle lock files and leftovers of
// interrupted writes, then the soonest to expire until the rest fit in
// maxBytes. Unless force, it runs at most every sweepEvery.
func (c *diskCache) sweep(force bool) {
	now := c.now()
	c.mu.Lock()
	if !force && now.Sub(c.lastSweep) < sweepEvery {
		c.mu.Unlock()
		return
	}
	c.lastSweep = now
	c.mu.Unlock()

	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return
	}
	type reply struct {
		path    string
		size    int64
		expires time.Time
	}
	var live []reply
	var total int64
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			continue
		}
		path := filepath.Join(c.dir, e.Name())
		switch {
		case strings.HasSuffix(e.Name(), lockSuffix), strings.HasPrefix(e.Name(), ".tmp-"):
			if now.Sub(info.ModTime()) > lockFileAge {
				os.Remove(path)
			}
		case !now.Before(info.ModTime()):
			os.Remove(path)
		default:
			live = append(live, reply{path, info.Size(), info.ModTime()})
			total += info.Size()
		}
	}
	if total <= c.maxBytes {
		return
	}
	slices.SortFunc(live, func(a, b reply) int { return a.expires.Compare(b.expires) })
	for _, r := range live {
		if total <= c.maxBytes {
			break
		}
		if os.Remove(r.path) == nil {
			total -= r.size
		}
	}
}
