package gitcheck

import (
	"slices"
	"strings"
	"testing"
)

func profileNames(ps []Profile) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

func TestDefaultProfilesFitTheTrees(t *testing.T) {
	all, err := Config{Repo: "x"}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	if got := profileNames(all.Profiles); !slices.Equal(got, []string{"driver", "shared", "rdma-core"}) {
		t.Errorf("default profiles %v", got)
	}
	kernelOnly := Config{Repo: "x", Trees: DefaultTrees()[:4]}
	kernelOnly, err = kernelOnly.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	if got := profileNames(kernelOnly.Profiles); !slices.Equal(got, []string{"driver", "shared"}) {
		t.Errorf("profiles without rdma-core and mlx5-next trees: %v", got)
	}
	if kernelOnly.Profiles[1].Self != "" {
		t.Errorf("shared profile keeps self %q without its tree", kernelOnly.Profiles[1].Self)
	}
}

func TestConfiguredProfiles(t *testing.T) {
	cfg := Config{Repo: "x", Profiles: []Profile{{Name: "iwl-next", Paths: []string{"drivers/net/ethernet/intel/"}, Base: BaseMainlineTag}}}
	got, err := cfg.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	if names := profileNames(got.Profiles); !slices.Equal(names, []string{"driver", "shared", "rdma-core", "iwl-next"}) {
		t.Errorf("profiles %v, want the defaults and iwl-next", names)
	}
	cfg.Profiles = []Profile{{Name: ProfileShared, Paths: []string{"include/linux/mlx5/"}}}
	if got, err = cfg.withDefaults(); err != nil {
		t.Fatal(err)
	}
	if p := got.Profiles[1]; p.Name != ProfileShared || p.AppendOnly || p.Base != BaseAccepted {
		t.Errorf("a configured shared profile did not replace the default: %+v", p)
	}
	bad := []struct {
		p    Profile
		want string
	}{
		{Profile{Name: "x", Paths: []string{"a/"}, Upstream: "nowhere"}, `tree "nowhere"`},
		{Profile{Name: "x", Paths: []string{"a/"}, Base: "tip"}, "unknown base rule"},
		{Profile{Name: "x", Scope: []string{"providers/"}}, "<driver> once"},
		{Profile{Name: "x"}, "allows no path"},
		{Profile{Name: "a b", Paths: []string{"a/"}}, "bad profile name"},
	}
	for _, tt := range bad {
		_, err := Config{Repo: "x", Profiles: []Profile{tt.p}}.withDefaults()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: error %v, want %q", tt.p, err, tt.want)
		}
	}
}
