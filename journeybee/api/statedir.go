package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
)

// The state directory is what every process on the machine using one API
// key can reach without a server of its own: the shared pace (see
// sharedlimit.go) and the shared reply cache (see diskcache.go) live there.
// Replies hold personal data (lead names, emails), so the directory is the
// user's alone: 0700, its files 0600, and a directory anyone else can read
// or that belongs to someone else is refused.

// stateDir is an opened, checked state directory.
type stateDir struct {
	path string
}

// openStateDir creates dir (0700) if needed and checks that only this user
// can use it.
func openStateDir(dir string) (*stateDir, error) {
	if !filepath.IsAbs(dir) {
		return nil, fmt.Errorf("the state directory %q is not an absolute path", dir)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	info, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("the state directory %q is not a directory", dir)
	}
	if err := checkPrivate(dir, info); err != nil {
		return nil, err
	}
	// Writable? A read-only directory must fall back now, not on the first
	// request.
	probe, err := os.CreateTemp(dir, ".probe-*")
	if err != nil {
		return nil, err
	}
	probe.Close()
	os.Remove(probe.Name())
	return &stateDir{path: dir}, nil
}

// file is the path of name inside the directory.
func (d *stateDir) file(name string) string { return filepath.Join(d.path, name) }

// stateName names a file by a hash of parts (an API key among them): file
// names must never reveal the key.
func stateName(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// lockPollMin and lockPollMax bound how often a waiter retries a held lock:
// flock cannot be interrupted, so waiting for one polls, which is how the
// wait honours the context.
const (
	lockPollMin = time.Millisecond
	lockPollMax = 20 * time.Millisecond
)

// lockFile opens (creating, 0600) the file at path and takes an exclusive
// lock on it, waiting until ctx ends. The kernel drops the lock when the
// process dies, so a killed holder never blocks the others. unlock releases
// the lock and closes the file.
func lockFile(ctx context.Context, path string) (f *os.File, unlock func(), err error) {
	f, err = os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nil, err
	}
	poll := lockPollMin
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, nil, err
		}
		if ok {
			return f, func() { unlockFile(f); f.Close() }, nil
		}
		if err := sleepContext(ctx, poll); err != nil {
			f.Close()
			return nil, nil, err
		}
		poll = min(2*poll, lockPollMax)
	}
}

// writeFileAtomic writes data to path through a temporary file and a
// rename, so that a reader in another process sees the old file or the new
// one, never half of one.
func writeFileAtomic(path string, data []byte, mtime time.Time) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename: a no-op
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if !mtime.IsZero() {
		if err := os.Chtimes(tmp.Name(), mtime, mtime); err != nil {
			return err
		}
	}
	return os.Rename(tmp.Name(), path)
}

// saidOnce remembers which log lines this process has written, for
// conditions (an unusable state directory) worth one line, not one per
// request or per connection.
var saidOnce sync.Map

// warnOnce logs msg at WARN level once per process for each key.
func warnOnce(logger hclog.Logger, key, msg string, args ...any) {
	if _, done := saidOnce.LoadOrStore(key, true); !done {
		logger.Warn(msg, args...)
	}
}
