package extract

import (
	"math"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"github.com/spinerad/spinerad/internal/imageio"
	"github.com/spinerad/spinerad/internal/refdata"
)

// TestCT1316Cases extracts the 1,316 features of preset ct1316 from every
// PyRadiomics case with an output <case>_1316.csv and compares them, name by
// name and in order, with PyRadiomics': 1e-6 relative, 1e-9 absolute floor.
// The run is done with one and with four goroutines, which must give
// bit-identical results.
func TestCT1316Cases(t *testing.T) {
	dir, cases := refdata.Cases(t, "pyradiomics", "_1316.csv", "_image.nrrd", "_label.nrrd")
	for _, c := range cases {
		t.Run(c, func(t *testing.T) { checkCT1316Case(t, dir, c) })
	}
}

func checkCT1316Case(t *testing.T, dir, c string) {
	rows := readTable(t, filepath.Join(dir, c+"_1316.csv"))[1:]
	img, err := imageio.Read(filepath.Join(dir, c+"_image.nrrd"))
	if err != nil {
		t.Fatal(err)
	}
	mask, err := imageio.Read(filepath.Join(dir, c+"_label.nrrd"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := ResolveParams("ct1316")
	if err != nil {
		t.Fatal(err)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var runs [2]*Result
	for i, procs := range []int{1, 4} {
		runtime.GOMAXPROCS(procs)
		if runs[i], err = p.Execute(img, mask); err != nil {
			t.Fatal(err)
		}
	}
	res := runs[0]
	if len(res.Features) != len(rows) || len(rows) != 1316 {
		t.Fatalf("%d features, reference has %d (want 1316)", len(res.Features), len(rows))
	}
	worst, worstName, identical := 0.0, "", 0
	for i, r := range rows {
		f := res.Features[i]
		if f.Name != r[0] {
			t.Fatalf("feature %d is %s, want %s", i, f.Name, r[0])
		}
		want, err := strconv.ParseFloat(r[1], 64)
		if err != nil {
			t.Fatalf("%s: bad value %q", r[0], r[1])
		}
		if !refClose(f.Value, want) {
			t.Errorf("%s = %v, want %v", f.Name, f.Value, want)
		}
		if f.Value == want {
			identical++
		} else if d := math.Abs(f.Value-want) / math.Abs(want); d > worst {
			worst, worstName = d, f.Name
		}
		g := runs[1].Features[i]
		if g.Name != f.Name || math.Float64bits(g.Value) != math.Float64bits(f.Value) {
			t.Errorf("%s: %v with 1 goroutine, %s = %v with 4", f.Name, f.Value, g.Name, g.Value)
		}
	}
	t.Logf("1316 features: %d bit-identical to PyRadiomics, max relative deviation %.3g (%s)", identical, worst, worstName)
}
