package extract

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/spinerad/spinerad/internal/imageio"
	"github.com/spinerad/spinerad/internal/volume"
)

// batchTestParams is a small parameter set (Original; firstorder + glcm).
const batchTestParams = `imageType:
  Original: {}
featureClass:
  firstorder:
  glcm:
setting:
  binWidth: 25
  label: 1
`

// synthCase returns a seeded CT-like int16 image and a blob mask (label
// value label) of size 24x24x12.
func synthCase(seed int64, label int) (img, mask *volume.Image) {
	rng := rand.New(rand.NewSource(seed))
	g := volume.Geometry{Size: [3]int{24, 24, 12}, Spacing: [3]float64{0.8, 0.8, 2}, Origin: [3]float64{-10, 5, 30}, Direction: volume.Identity}
	img = volume.New(g, volume.Int16)
	mask = volume.New(g, volume.UInt8)
	c := [3]float64{9 + 6*rng.Float64(), 9 + 6*rng.Float64(), 4 + 4*rng.Float64()}
	rad := [3]float64{4 + 3*rng.Float64(), 4 + 3*rng.Float64(), 2 + 1.5*rng.Float64()}
	base := 100 + 300*rng.Float64()
	for z := 0; z < 12; z++ {
		for y := 0; y < 24; y++ {
			for x := 0; x < 24; x++ {
				i := img.Index(x, y, z)
				d := math.Pow((float64(x)-c[0])/rad[0], 2) + math.Pow((float64(y)-c[1])/rad[1], 2) + math.Pow((float64(z)-c[2])/rad[2], 2)
				v := -50 + 40*rng.NormFloat64()
				if d <= 1 {
					v = base + 120*rng.NormFloat64() + 30*float64(x-y)
					mask.Data[i] = float64(label)
				}
				img.Data[i] = volume.Int16.Cast(math.Round(v))
			}
		}
	}
	return img, mask
}

// writeCases writes n synthetic cases into dir (relative file names) and a
// case list cases.csv with columns ID, Image, Mask; mutate may edit rows.
func writeCases(t *testing.T, dir string, n int, mutate func(i int, row []string) []string, header ...string) string {
	t.Helper()
	if header == nil {
		header = []string{"ID", "Image", "Mask"}
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(header)
	for i := 0; i < n; i++ {
		img, mask := synthCase(int64(1000+i), 1)
		in, mn := fmt.Sprintf("img%02d.nii.gz", i), fmt.Sprintf("mask%02d.nii.gz", i)
		if err := imageio.Write(filepath.Join(dir, in), img); err != nil {
			t.Fatal(err)
		}
		if err := imageio.Write(filepath.Join(dir, mn), mask); err != nil {
			t.Fatal(err)
		}
		row := []string{fmt.Sprintf("P%02d", i), in, mn}
		if mutate != nil {
			row = mutate(i, row)
		}
		w.Write(row)
	}
	w.Flush()
	p := filepath.Join(dir, "cases.csv")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func mustParams(t *testing.T, doc string) *Params {
	t.Helper()
	p, err := ParseParams([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestParseCasesErrors(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"empty", "", "empty case list"},
		{"no Image", "ID,Mask\n1,m.nii\n", "missing required column(s) Image"},
		{"no Mask", "ID,Image\n1,i.nii\n", "missing required column(s) Mask"},
		{"no both", "ID,image,mask\n1,i,m\n", "Image and Mask"},
		{"ragged short", "Image,Mask,ID\na,b,1\nc,d\n", "line 3: 2 cells, but the header has 3 columns"},
		{"ragged long", "Image,Mask\na,b\nc,d,e\n", "line 3: 3 cells, but the header has 2 columns"},
		{"duplicate column", "Image,Mask,ID,ID\na,b,1,2\n", `column "ID" appears twice`},
		{"reserved column", "Image,Mask,error\na,b,\n", `"error" is reserved`},
		{"header only", "Image,Mask\n", "no cases"},
		{"bad quote", "Image,Mask\n\"a,b\n", "bad CSV"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseCases([]byte(tc.doc), "/data")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestParseCases(t *testing.T) {
	doc := "\xef\xbb\xbfID,Image,Mask,Label,Note\nA,/abs/i.nii,m.nii, 2 ,x y\n\nB,sub/i.nii,/abs/m.nii,,\"q,r\"\n"
	cl, err := ParseCases([]byte(doc), "/nonexistent-dir")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(cl.Columns, "|"); got != "ID|Image|Mask|Label|Note" {
		t.Fatalf("columns %q", got)
	}
	want := []Case{
		{Row: 1, Fields: []string{"A", "/abs/i.nii", "m.nii", " 2 ", "x y"}, Image: "/abs/i.nii", Mask: "/nonexistent-dir/m.nii", Label: "2"},
		{Row: 2, Fields: []string{"B", "sub/i.nii", "/abs/m.nii", "", "q,r"}, Image: "/nonexistent-dir/sub/i.nii", Mask: "/abs/m.nii"},
	}
	if len(cl.Cases) != len(want) {
		t.Fatalf("%d cases, want %d", len(cl.Cases), len(want))
	}
	for i, w := range want {
		g := cl.Cases[i]
		if fmt.Sprint(g) != fmt.Sprint(w) {
			t.Errorf("case %d: %+v, want %+v", i, g, w)
		}
	}
}

func TestResolveCasePath(t *testing.T) {
	cwd := t.TempDir()
	csvDir := t.TempDir()
	os.WriteFile(filepath.Join(cwd, "here.nii"), nil, 0o644)
	os.WriteFile(filepath.Join(csvDir, "here.nii"), nil, 0o644)
	os.WriteFile(filepath.Join(csvDir, "there.nii"), nil, 0o644)
	t.Chdir(cwd)
	tests := []struct{ in, want string }{
		{"here.nii", "here.nii"},                          // exists in the current directory: kept
		{"there.nii", filepath.Join(csvDir, "there.nii")}, // only next to the CSV
		{"absent.nii", filepath.Join(csvDir, "absent.nii")},
		{"/abs/x.nii", "/abs/x.nii"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := ResolveCasePath(tc.in, csvDir); got != tc.want {
			t.Errorf("ResolveCasePath(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseLabel(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		ok   bool
	}{{"1", 1, true}, {"12", 12, true}, {"2.0", 2, true}, {"0", 0, false}, {"-1", 0, false}, {"1.5", 0, false}, {"x", 0, false}} {
		got, err := parseLabel(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseLabel(%q) = %d, %v", tc.in, got, err)
		}
	}
}

func TestBatchHeaderRule(t *testing.T) {
	a := []string{"diagnostics_X", "f_b", "f_a"}
	b := []string{"f_b", "f_z", "f_a", "f_c"}
	res := []caseResult{
		{status: statusFailed, err: "x"},
		{status: statusComputed, names: a},
		{status: statusCached, names: b},
		{status: statusComputed, names: []string{"f_y"}},
		{status: statusComputed, names: a},
	}
	if got := strings.Join(batchHeader(res, false), ","); got != "f_b,f_a,f_c,f_y,f_z" {
		t.Errorf("header %s", got)
	}
	if got := strings.Join(batchHeader(res, true), ","); got != "diagnostics_X,f_b,f_a,f_c,f_y,f_z" {
		t.Errorf("header with diagnostics %s", got)
	}
	if got := batchHeader(res[:1], false); len(got) != 0 {
		t.Errorf("header of failures only: %q", got)
	}
}

// TestRunBatchFailingCases checks output layout and ordering with failing
// cases in the middle, against direct Execute results.
func TestRunBatchFailingCases(t *testing.T) {
	dir := t.TempDir()
	// Case 1: missing mask; case 2: label 7 absent; case 3: bad label;
	// case 4: label 2 given explicitly, mask relabelled to 2.
	cases := writeCases(t, dir, 6, func(i int, row []string) []string {
		label := ""
		switch i {
		case 1:
			row[2] = "nothere.nii.gz"
		case 2:
			label = "7"
		case 3:
			label = "one"
		case 4:
			label = "2"
			_, m := synthCase(int64(1000+i), 2)
			if err := imageio.Write(filepath.Join(dir, row[2]), m); err != nil {
				t.Fatal(err)
			}
		}
		return append(row, label, "note "+row[0])
	}, "ID", "Image", "Mask", "Label", "Note")
	p := mustParams(t, batchTestParams)
	out := filepath.Join(dir, "features.csv")
	var log bytes.Buffer
	sum, err := RunBatch(context.Background(), BatchOptions{CasesPath: cases, OutPath: out, Params: p, Workers: 3, Log: &log})
	if err == nil || !strings.Contains(err.Error(), "3 of 6 cases failed") {
		t.Fatalf("err = %v", err)
	}
	if sum != (BatchSummary{Cases: 6, Computed: 3, Failed: 3}) {
		t.Fatalf("summary %+v", sum)
	}
	if !strings.Contains(log.String(), "6 cases: 3 computed, 0 from cache, 3 failed\n") ||
		!strings.Contains(log.String(), "case 2/6 ID=P01 failed: mask: open ") ||
		!strings.Contains(log.String(), "case 1/6 ID=P00 done in ") {
		t.Errorf("log:\n%s", log.String())
	}
	recs := readCSV(t, out)
	if len(recs) != 7 {
		t.Fatalf("%d records", len(recs))
	}
	hdr := recs[0]
	if strings.Join(hdr[:6], ",") != "ID,Image,Mask,Label,Note,error" {
		t.Fatalf("header starts %q", hdr[:6])
	}
	// Reference values straight from Execute.
	ref := func(i, label int) *Result {
		img, err := imageio.Read(filepath.Join(dir, recs[i+1][1]))
		if err != nil {
			t.Fatal(err)
		}
		mask, err := imageio.Read(filepath.Join(dir, recs[i+1][2]))
		if err != nil {
			t.Fatal(err)
		}
		q := mustParams(t, batchTestParams)
		if label != 1 {
			if err := q.Override(fmt.Sprintf("label:%d", label)); err != nil {
				t.Fatal(err)
			}
		}
		r, err := q.Execute(img, mask)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	r0 := ref(0, 1)
	if len(hdr) != 6+len(r0.Features) {
		t.Fatalf("%d columns, want %d", len(hdr), 6+len(r0.Features))
	}
	for k, f := range r0.Features {
		if hdr[6+k] != f.Name {
			t.Fatalf("column %d is %s, want %s", 6+k, hdr[6+k], f.Name)
		}
	}
	wantErr := []string{"", "mask: open", "label 7", `Label "one": a positive integer expected`, "", ""}
	for i := 0; i < 6; i++ {
		row := recs[i+1]
		if row[0] != fmt.Sprintf("P%02d", i) || row[4] != "note "+row[0] {
			t.Errorf("row %d pass-through cells %q", i, row[:5])
		}
		if wantErr[i] == "" {
			if row[5] != "" {
				t.Errorf("row %d: unexpected error %q", i, row[5])
				continue
			}
			label := 1
			if i == 4 {
				label = 2
			}
			r := ref(i, label)
			for k, f := range r.Features {
				if row[6+k] != FormatFloat(f.Value) {
					t.Errorf("row %d %s = %s, want %s", i, f.Name, row[6+k], FormatFloat(f.Value))
				}
			}
			continue
		}
		if !strings.Contains(row[5], wantErr[i]) {
			t.Errorf("row %d: error %q, want it to contain %q", i, row[5], wantErr[i])
		}
		for k := 6; k < len(row); k++ {
			if row[k] != "" {
				t.Errorf("row %d: failed case has a value in column %s", i, hdr[k])
				break
			}
		}
	}
	// Failed cases are not cached; the 3 good ones are.
	ents, _ := filepath.Glob(filepath.Join(out+".cache", "*.json"))
	if len(ents) != 3 {
		t.Errorf("%d cache entries, want 3", len(ents))
	}
}

// TestRunBatchDeterminismAndCache: -j 1, 2 and 4 give byte-identical
// outputs; a rerun is served from the cache and is byte-identical too, with
// or without diagnostics; --no-cache recomputes.
func TestRunBatchDeterminismAndCache(t *testing.T) {
	dir := t.TempDir()
	cases := writeCases(t, dir, 8, nil)
	p := mustParams(t, batchTestParams)
	run := func(name string, workers int, noCache, diag bool, cacheDir string) ([]byte, BatchSummary) {
		out := filepath.Join(dir, name)
		sum, err := RunBatch(context.Background(), BatchOptions{CasesPath: cases, OutPath: out, Params: p,
			Workers: workers, NoCache: noCache, Diagnostics: diag, CacheDir: cacheDir})
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return b, sum
	}
	a, sa := run("a.csv", 1, false, false, "")
	b, sb := run("b.csv", 2, false, false, "")
	c, sc := run("c.csv", 4, false, false, "")
	if sa.Computed != 8 || sb.Computed != 8 || sc.Computed != 8 {
		t.Fatalf("summaries %v %v %v", sa, sb, sc)
	}
	if !bytes.Equal(a, b) || !bytes.Equal(a, c) {
		t.Fatal("outputs differ between -j 1, 2 and 4")
	}
	shared := filepath.Join(dir, "shared.cache")
	d1, s1 := run("d1.csv", 3, false, true, shared)
	d2, s2 := run("d2.csv", 2, false, true, shared)
	if s1.Computed != 8 || s2.Cached != 8 || s2.Computed != 0 {
		t.Fatalf("summaries %v %v", s1, s2)
	}
	if !bytes.Equal(d1, d2) {
		t.Fatal("cached rerun (with diagnostics) differs")
	}
	if !bytes.Contains(d1, []byte("diagnostics_Configuration_Settings")) {
		t.Fatal("no diagnostics columns")
	}
	a2, s3 := run("a2.csv", 2, false, false, shared)
	if s3.Cached != 8 || !bytes.Equal(a, a2) {
		t.Fatalf("cached run without diagnostics differs from computed one (%v)", s3)
	}
	// Entries made without diagnostics cannot serve a run that writes them.
	g, s6 := run("g.csv", 2, false, true, filepath.Join(dir, "a.csv.cache"))
	if s6.Computed != 8 || s6.Cached != 0 || !bytes.Equal(g, d1) {
		t.Fatalf("diagnostics run on a cache made without them: %v", s6)
	}
	_, s4 := run("e.csv", 2, true, false, shared)
	if s4.Computed != 8 || s4.Cached != 0 {
		t.Fatalf("--no-cache: %v", s4)
	}
	// A changed setting misses the cache.
	p = mustParams(t, strings.Replace(batchTestParams, "binWidth: 25", "binWidth: 10", 1))
	f, s5 := run("f.csv", 2, false, false, shared)
	if s5.Computed != 8 || bytes.Equal(a, f) {
		t.Fatalf("changed binWidth: %v, identical output %v", s5, bytes.Equal(a, f))
	}
}

func TestRunBatchDamagedCacheEntry(t *testing.T) {
	dir := t.TempDir()
	cases := writeCases(t, dir, 2, nil)
	out := filepath.Join(dir, "o.csv")
	opt := BatchOptions{CasesPath: cases, OutPath: out, Params: mustParams(t, batchTestParams), Workers: 1}
	if _, err := RunBatch(context.Background(), opt); err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(out)
	ents, _ := filepath.Glob(filepath.Join(out+".cache", "*.json"))
	if len(ents) != 2 {
		t.Fatalf("%d entries", len(ents))
	}
	if err := os.WriteFile(ents[0], []byte(`{"format":"spinerad-batch-cache/1","key":"`), 0o644); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	opt.Log = &log
	sum, err := RunBatch(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(out)
	if sum.Computed != 1 || sum.Cached != 1 || !bytes.Equal(got, want) || !strings.Contains(log.String(), "damaged cache entry") {
		t.Fatalf("summary %v, identical %v, log:\n%s", sum, bytes.Equal(got, want), log.String())
	}
}

func TestRunBatchCancelled(t *testing.T) {
	dir := t.TempDir()
	cases := writeCases(t, dir, 3, nil)
	out := filepath.Join(dir, "o.csv")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := RunBatch(ctx, BatchOptions{CasesPath: cases, OutPath: out, Params: mustParams(t, batchTestParams), Workers: 1})
	if err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatal("an interrupted batch wrote its output")
	}
}

func TestRunBatchBar(t *testing.T) {
	dir := t.TempDir()
	cases := writeCases(t, dir, 3, func(i int, row []string) []string {
		if i == 1 {
			row[1] = "missing.nii"
		}
		return row
	})
	var log bytes.Buffer
	sum, err := RunBatch(context.Background(), BatchOptions{CasesPath: cases, OutPath: filepath.Join(dir, "o.csv"),
		Params: mustParams(t, batchTestParams), Workers: 2, Log: &log, Bar: true})
	if err == nil || sum.Failed != 1 || sum.Computed != 2 {
		t.Fatalf("%v %v", sum, err)
	}
	if s := log.String(); !strings.Contains(s, "case 2/3 ID=P01 failed: image: open") || !strings.HasSuffix(s, "3 cases: 2 computed, 0 from cache, 1 failed\n") {
		t.Errorf("log:\n%q", s)
	}
}

func TestFingerprint(t *testing.T) {
	base := mustParams(t, batchTestParams).Fingerprint()
	if again := mustParams(t, batchTestParams).Fingerprint(); again != base {
		t.Fatal("fingerprint is not stable")
	}
	changed := map[string]func(p *Params){
		"setting":    func(p *Params) { p.Override("binWidth:10") },
		"label":      func(p *Params) { p.Override("label:2") },
		"image type": func(p *Params) { p.ImageTypes = append(p.ImageTypes, ImageType{Name: "Square"}) },
		"class":      func(p *Params) { p.Classes = append(p.Classes, ClassSpec{Name: "gldm"}) },
		"features":   func(p *Params) { p.Classes[0].Features = []string{"Mean"} },
		"overrides": func(p *Params) {
			p.ImageTypes[0].Overrides = []KeyValue{{"binWidth", Value{V: int64(5), Text: "5"}}}
		},
	}
	for name, f := range changed {
		p := mustParams(t, batchTestParams)
		f(p)
		if p.Fingerprint() == base {
			t.Errorf("%s: fingerprint unchanged", name)
		}
	}
	// Re-setting a default changes nothing in the output, nor the fingerprint.
	same := mustParams(t, batchTestParams)
	same.Override("normalizeScale:1")
	if same.Fingerprint() != base {
		t.Error("re-setting normalizeScale to its default changed the fingerprint")
	}
	k := cacheKey("a", "b", 1, base, nil)
	for name, k2 := range map[string]string{
		"image":    cacheKey("c", "b", 1, base, nil),
		"mask":     cacheKey("a", "c", 1, base, nil),
		"label":    cacheKey("a", "b", 2, base, nil),
		"params":   cacheKey("a", "b", 1, "x", nil),
		"override": cacheKey("a", "b", 1, base, []string{"binWidth:25"}),
	} {
		if k2 == k {
			t.Errorf("cache key ignores the %s", name)
		}
	}
}

// TestExecuteConcurrent runs Execute on one shared Params from several
// goroutines (with filters and every class) and compares with a serial run;
// run with -race to detect shared mutable state.
func TestExecuteConcurrent(t *testing.T) {
	p := mustParams(t, `imageType:
  Original: {}
  LoG: {sigma: [1.0]}
  Wavelet: {}
  Square: {}
featureClass:
  shape:
  firstorder:
  glcm:
  gldm:
  glrlm:
  glszm:
  ngtdm:
setting:
  binWidth: 25
`)
	const n = 4
	imgs := make([][2]*volume.Image, n)
	want := make([]*Result, n)
	for i := range imgs {
		img, mask := synthCase(int64(7+i), 1)
		imgs[i] = [2]*volume.Image{img, mask}
		r, err := p.Execute(img, mask)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = r
	}
	var wg sync.WaitGroup
	got := make([]*Result, 2*n)
	errs := make([]error, 2*n)
	for g := 0; g < 2*n; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[g], errs[g] = p.Execute(imgs[g%n][0], imgs[g%n][1])
		}()
	}
	wg.Wait()
	for g := range got {
		if errs[g] != nil {
			t.Fatal(errs[g])
		}
		w := want[g%n]
		if len(got[g].Features) != len(w.Features) || len(got[g].Diagnostics) != len(w.Diagnostics) {
			t.Fatalf("goroutine %d: %d features, want %d", g, len(got[g].Features), len(w.Features))
		}
		for k, f := range got[g].Features {
			if f.Name != w.Features[k].Name || math.Float64bits(f.Value) != math.Float64bits(w.Features[k].Value) {
				t.Fatalf("goroutine %d: %s = %v, serial %v", g, f.Name, f.Value, w.Features[k].Value)
			}
		}
		for k, d := range got[g].Diagnostics {
			if d != w.Diagnostics[k] {
				t.Fatalf("goroutine %d: %s = %s, serial %s", g, d.Name, d.Value, w.Diagnostics[k].Value)
			}
		}
	}
}
