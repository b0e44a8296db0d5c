//go:build !unix

package api

import (
	"errors"
	"io/fs"
	"os"
)

// Without flock there is no safe way to share state between processes:
// openStateDir fails and the client keeps its pace and replies to itself.

func tryLock(*os.File) (bool, error) { return false, errors.New("file locks are not supported here") }

func unlockFile(*os.File) {}

func checkPrivate(string, fs.FileInfo) error {
	return errors.New("a private state directory is not supported on this system")
}
