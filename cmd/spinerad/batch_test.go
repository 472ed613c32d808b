//go:build unix

package main

import (
	"bytes"
	"fmt"
	"math"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spinerad/spinerad/internal/imageio"
	"github.com/spinerad/spinerad/internal/volume"
)

const e2eParams = `imageType:
  Original: {}
featureClass:
  firstorder:
  glcm:
setting:
  binWidth: 25
`

// blobCase writes a seeded 24x24x12 int16 image with an ellipsoidal ROI.
func blobCase(t *testing.T, seed int64, imgPath, maskPath string) {
	t.Helper()
	rng := rand.New(rand.NewSource(seed))
	g := volume.Geometry{Size: [3]int{24, 24, 12}, Spacing: [3]float64{0.7, 0.7, 1.5}, Direction: volume.Identity}
	img, mask := volume.New(g, volume.Int16), volume.New(g, volume.UInt8)
	c := [3]float64{9 + 6*rng.Float64(), 9 + 6*rng.Float64(), 4 + 4*rng.Float64()}
	r := [3]float64{4 + 3*rng.Float64(), 4 + 3*rng.Float64(), 2 + 1.5*rng.Float64()}
	for i := range img.Data {
		x, y, z := img.Coords(i)
		d := math.Pow((float64(x)-c[0])/r[0], 2) + math.Pow((float64(y)-c[1])/r[1], 2) + math.Pow((float64(z)-c[2])/r[2], 2)
		v := -40 + 30*rng.NormFloat64()
		if d <= 1 {
			v = 250 + 100*rng.NormFloat64() + 20*float64(x-z)
			mask.Data[i] = 1
		}
		img.Data[i] = math.Round(v)
	}
	if err := imageio.Write(imgPath, img); err != nil {
		t.Fatal(err)
	}
	if err := imageio.Write(maskPath, mask); err != nil {
		t.Fatal(err)
	}
}

var summaryRE = regexp.MustCompile(`(\d+) cases: (\d+) computed, (\d+) from cache, (\d+) failed`)

// summary parses the summary line of a batch's standard error.
func summary(t *testing.T, stderr string) (cases, computed, cached, failed int) {
	t.Helper()
	m := summaryRE.FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("no summary line in:\n%s", stderr)
	}
	n := make([]int, 4)
	for i := range n {
		n[i], _ = strconv.Atoi(m[i+1])
	}
	return n[0], n[1], n[2], n[3]
}

func countEntries(t *testing.T, dir string) int {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	return len(m)
}

// TestBatchResumeAfterKill builds the binary, runs a 20-case batch
// uninterrupted, then runs it again with a fresh cache, SIGKILLs it part-way,
// resumes it, and checks that the resumed output is byte-identical and that
// no case was computed twice. The kill point is made deterministic by
// turning the images of cases 9 and 10 into named pipes: with -j 2 both
// workers block opening them after cases 1-8 are cached.
func TestBatchResumeAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "spinerad")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	data := filepath.Join(dir, "data")
	os.Mkdir(data, 0o755)
	const n = 20
	var csvText strings.Builder
	csvText.WriteString("ID,Image,Mask,Site\n")
	for i := 0; i < n; i++ {
		img, mask := fmt.Sprintf("img%02d.nii.gz", i), fmt.Sprintf("mask%02d.nii.gz", i)
		blobCase(t, int64(500+i), filepath.Join(data, img), filepath.Join(data, mask))
		fmt.Fprintf(&csvText, "C%02d,%s,%s,site %d\n", i, img, mask, i%3)
	}
	cases := filepath.Join(data, "cases.csv")
	params := filepath.Join(dir, "params.yaml")
	os.WriteFile(cases, []byte(csvText.String()), 0o644)
	os.WriteFile(params, []byte(e2eParams), 0o644)

	run := func(out string, extra ...string) (string, error) {
		args := append([]string{"extract", "--batch", cases, "-p", params, "-o", out}, extra...)
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		return stderr.String(), err
	}

	// A: uninterrupted.
	a := filepath.Join(dir, "A.csv")
	se, err := run(a, "-j", "2")
	if err != nil {
		t.Fatalf("batch A: %v\n%s", err, se)
	}
	if c, comp, cached, failed := summary(t, se); c != n || comp != n || cached != 0 || failed != 0 {
		t.Fatalf("batch A summary: %s", se)
	}
	if !strings.Contains(se, "case 3/20 ID=C02 done in ") {
		t.Errorf("no per-case log line:\n%s", se)
	}
	wantA, _ := os.ReadFile(a)

	// B: the images of cases 9 and 10 become named pipes, so the run
	// blocks there; kill it once the 8 cases before them are cached.
	b := filepath.Join(dir, "B.csv")
	blocked := []string{filepath.Join(data, "img08.nii.gz"), filepath.Join(data, "img09.nii.gz")}
	for _, p := range blocked {
		if err := os.Rename(p, p+".real"); err != nil {
			t.Fatal(err)
		}
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bin, "extract", "--batch", cases, "-p", params, "-o", b, "-j", "2")
	cmd.Dir = dir
	var killedErr bytes.Buffer
	cmd.Stderr = &killedErr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	cache := b + ".cache"
	deadline := time.Now().Add(20 * time.Second)
	for countEntries(t, cache) < 8 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // nothing else may finish
	cmd.Process.Signal(syscall.SIGKILL)
	werr := cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("batch B was not killed (%v):\n%s", werr, killedErr.String())
	}
	k := countEntries(t, cache)
	if k < 5 || k >= n {
		t.Fatalf("%d cache entries after the kill, want 5-19", k)
	}
	if _, err := os.Stat(b); !os.IsNotExist(err) {
		t.Fatal("the killed batch wrote its output")
	}
	for _, p := range blocked {
		os.Remove(p)
		if err := os.Rename(p+".real", p); err != nil {
			t.Fatal(err)
		}
	}

	// Resume.
	se, err = run(b, "-j", "2")
	if err != nil {
		t.Fatalf("resumed batch: %v\n%s", err, se)
	}
	c, comp, cached, failed := summary(t, se)
	if c != n || failed != 0 || cached != k || comp+k != n {
		t.Fatalf("resumed batch: %d entries cached before, summary %q", k, summaryRE.FindString(se))
	}
	if !strings.Contains(se, "ID=C00 from cache") {
		t.Errorf("case 1 not reported as cached:\n%s", se)
	}
	gotB, _ := os.ReadFile(b)
	if !bytes.Equal(gotB, wantA) {
		t.Fatal("resumed B.csv differs from A.csv")
	}
	if countEntries(t, cache) != n {
		t.Fatalf("%d cache entries after the resumed run, want %d", countEntries(t, cache), n)
	}

	// Fully cached, another -j, explicit --cache-dir: identical again.
	se, err = run(filepath.Join(dir, "C.csv"), "-j", "1", "--cache-dir", cache)
	if err != nil {
		t.Fatal(err, se)
	}
	if _, comp, cached, _ := summary(t, se); comp != 0 || cached != n {
		t.Fatalf("cached run: %s", summaryRE.FindString(se))
	}
	gotC, _ := os.ReadFile(filepath.Join(dir, "C.csv"))
	if !bytes.Equal(gotC, wantA) {
		t.Fatal("C.csv differs from A.csv")
	}

	// A failing case: output still written, exit status non-zero.
	bad := filepath.Join(data, "bad.csv")
	os.WriteFile(bad, []byte("ID,Image,Mask\nX1,img00.nii.gz,mask00.nii.gz\nX2,none.nii.gz,mask01.nii.gz\n"), 0o644)
	cmd = exec.Command(bin, "extract", "--batch", bad, "-p", params, "-o", filepath.Join(dir, "D.csv"), "--no-cache")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() == 0 {
		t.Fatalf("failing batch exited with %v:\n%s", err, out)
	}
	if !strings.Contains(string(out), "1 of 2 cases failed") {
		t.Errorf("output:\n%s", out)
	}
	d, err := os.ReadFile(filepath.Join(dir, "D.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(d), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[2], "X2,none.nii.gz,mask01.nii.gz,image: open ") {
		t.Errorf("D.csv:\n%s", d)
	}

	// Positional arguments are refused in batch mode.
	if out, err := exec.Command(bin, "extract", "--batch", bad, "a.nii", "b.nii", "-o", "x.csv").CombinedOutput(); err == nil ||
		!strings.Contains(string(out), "--batch takes no IMAGE or MASK") {
		t.Errorf("positional args with --batch: %v %s", err, out)
	}
}
