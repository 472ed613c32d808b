package synth

import (
	"bytes"
	"compress/gzip"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNIfTIHeaderLabels checks the SYNTHETIC labels of §9/§12 in the NIfTI-1
// header of every image kind (descrip at byte 148, aux_file at 228,
// intent_name at 328), for plain and gzip output.
func TestNIfTIHeaderLabels(t *testing.T) {
	cstr := func(b []byte) string {
		if i := bytes.IndexByte(b, 0); i >= 0 {
			return string(b[:i])
		}
		return string(b)
	}
	for _, gz := range []bool{false, true} {
		dir := t.TempDir()
		if _, err := Write(dir, Options{N: 6, Seed: 11, Gzip: gz, Workers: 2, Labels: true}); err != nil {
			t.Fatal(err)
		}
		ct, mk, mk2, lb := caseFiles("SYN003", gz, true)
		for _, p := range []string{ct, mk, mk2, lb} {
			f, err := os.Open(filepath.Join(dir, filepath.FromSlash(p)))
			if err != nil {
				t.Fatal(err)
			}
			var r io.Reader = f
			if gz {
				if r, err = gzip.NewReader(f); err != nil {
					t.Fatal(err)
				}
			}
			hdr := make([]byte, 348)
			_, err = io.ReadFull(r, hdr)
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			want := "SYNTHETIC " + GeneratorVersion + " seed=11 SYN003 - NOT PATIENT DATA"
			if got := cstr(hdr[148:228]); got != want {
				t.Errorf("%s: descrip %q, want %q", p, got, want)
			}
			if got := cstr(hdr[228:252]); got != "SYNTHETIC" {
				t.Errorf("%s: aux_file %q", p, got)
			}
			if got := cstr(hdr[328:344]); got != "synthetic" {
				t.Errorf("%s: intent_name %q", p, got)
			}
		}
	}
	// The longest seed still fits descrip's 79 characters.
	if d := HeaderOptions(^uint64(0), "SYN999").Description; len(d) > 79 || !strings.HasPrefix(d, "SYNTHETIC ") {
		t.Errorf("descrip %q (%d bytes)", d, len(d))
	}
}

// TestSubtlePhenotype pools 10 cohorts (no rendering) and checks the
// calibrated phenotype: conspicuity ≈ PConsp, and subtle malignant cases
// draw the benign sign probabilities while conspicuous ones draw the
// malignant ones (tolerances ≈ 3 binomial SEs).
func TestSubtlePhenotype(t *testing.T) {
	var n, band, lines [3]float64 // benign, subtle malignant, conspicuous malignant
	var nMal, consp float64
	for seed := uint64(1); seed <= 10; seed++ {
		c, err := Generate(Options{Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range c.Patients {
			g := 0
			if p.Malignant {
				nMal++
				g = 1
				if p.Truth.Conspicuous {
					g = 2
					consp++
				}
			}
			n[g]++
			band[g] += float64(b2i(p.Truth.Signs.Band))
			lines[g] += float64(b2i(p.Truth.Signs.FractureLines))
		}
	}
	p := c0Params(t)
	tests := []struct {
		name      string
		got, want float64
		n         float64
	}{
		{"conspicuous fraction", consp / nMal, p.PConsp, nMal},
		{"band | benign", band[0] / n[0], p.PBand[0], n[0]},
		{"band | subtle malignant", band[1] / n[1], p.PBand[0], n[1]},
		{"band | conspicuous malignant", band[2] / n[2], p.PBand[1], n[2]},
		{"lines | subtle malignant", lines[1] / n[1], p.PLines[0], n[1]},
		{"lines | conspicuous malignant", lines[2] / n[2], p.PLines[1], n[2]},
	}
	for _, tc := range tests {
		// The conspicuity probability is PConsp + 0.1·a, whose mean is
		// slightly below PConsp after clipping; allow 3 SEs + 0.01.
		se := 3*math.Sqrt(tc.want*(1-tc.want)/tc.n) + 0.01
		if d := tc.got - tc.want; d > se || d < -se {
			t.Errorf("%s = %.3f, want %.3f ± %.3f", tc.name, tc.got, tc.want, se)
		}
	}
}

func c0Params(t *testing.T) Params {
	t.Helper()
	p, err := DefaultParams(ProfileCompact)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
