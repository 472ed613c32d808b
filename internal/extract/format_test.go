package extract

import (
	"math"
	"testing"
)

func TestFormatFloatPythonRepr(t *testing.T) {
	// Expected strings are CPython's repr() of the same doubles.
	cases := []struct {
		v    float64
		want string
	}{
		{632, "632.0"},
		{2918821481, "2918821481.0"},
		{1234567.5, "1234567.5"},
		{1e-5, "1e-05"},
		{0.0001, "0.0001"},
		{1.3708669717893329e-06, "1.3708669717893329e-06"},
		{1e16, "1e+16"},
		{1234567890123456, "1234567890123456.0"},
		{-3.2034265038149176e-16, "-3.2034265038149176e-16"},
		{0.5621171627174026, "0.5621171627174026"},
		{math.NaN(), "nan"},
		{0, "0.0"},
		{1.5e300, "1.5e+300"},
	}
	for _, c := range cases {
		if got := FormatFloat(c.v); got != c.want {
			t.Errorf("FormatFloat(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}

func TestParsePyDict(t *testing.T) {
	kv, err := ParsePyDict("{'distances': [1], 'voxelArrayShift': 2000, 'force2D': False, 'interpolator': None, 'resegmentRange': [-3, 3], 'binWidth': 2.5, 'mode': 'sigma'}")
	if err != nil {
		t.Fatal(err)
	}
	if len(kv) != 7 || kv[0].Key != "distances" || kv[1].Value.V.(int64) != 2000 || kv[2].Value.V != false ||
		kv[3].Value.V != nil || kv[5].Value.V.(float64) != 2.5 || kv[6].Value.V != "sigma" {
		t.Fatalf("parsed %+v", kv)
	}
	if l := kv[4].Value.V.([]Value); len(l) != 2 || l[0].V.(int64) != -3 {
		t.Fatalf("list %+v", kv[4])
	}
}
