package extract

import (
	"errors"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestSchedulerRunsConcurrently checks that with GOMAXPROCS = 2 two tasks
// run at the same time (each waits for the other to start), that nested
// tasks run, and that a panic becomes the task's error.
func TestSchedulerRunsConcurrently(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	s := newScheduler()
	var started atomic.Int32
	var errs [4]error
	meet := func() error {
		started.Add(1)
		deadline := time.Now().Add(10 * time.Second)
		for started.Load() < 2 {
			if time.Now().After(deadline) {
				return errors.New("the other task never started")
			}
			runtime.Gosched()
		}
		return nil
	}
	var nested atomic.Bool
	s.do(&errs[0], meet)
	s.do(&errs[1], func() error {
		if err := meet(); err != nil {
			return err
		}
		s.do(&errs[2], func() error { nested.Store(true); return nil })
		return nil
	})
	s.do(&errs[3], func() error { panic("boom") })
	s.wait()
	for i, err := range errs[:3] {
		if err != nil {
			t.Errorf("task %d: %v", i, err)
		}
	}
	if !nested.Load() {
		t.Error("nested task did not run")
	}
	if errs[3] == nil || !strings.Contains(errs[3].Error(), "boom") {
		t.Errorf("panicking task: error %v", errs[3])
	}
}

// TestSchedulerSerial checks that with GOMAXPROCS = 1 tasks run inline, in
// submission order, nested tasks at the point they are scheduled.
func TestSchedulerSerial(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	s := newScheduler()
	var order []int
	var errs [3]error
	s.do(&errs[0], func() error {
		order = append(order, 0)
		s.do(&errs[1], func() error { order = append(order, 1); return errors.New("x") })
		order = append(order, 2)
		return nil
	})
	s.do(&errs[2], func() error { order = append(order, 3); return nil })
	s.wait()
	if len(order) != 4 || order[0] != 0 || order[1] != 1 || order[2] != 2 || order[3] != 3 {
		t.Errorf("order %v, want [0 1 2 3]", order)
	}
	if errs[0] != nil || errs[1] == nil || errs[2] != nil {
		t.Errorf("errors %v", errs)
	}
}
