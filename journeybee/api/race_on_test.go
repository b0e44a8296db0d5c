//go:build race

package api_test

// raceDetector says the tests run under -race (make test-race), where
// every memory access costs several times more.
const raceDetector = true
