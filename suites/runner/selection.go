package runner

import (
	"fmt"

	"github.com/kconform/kconform/internal/parallel"
	"github.com/kconform/kconform/internal/target"
)

// CheckSelectsSpecs refuses filters (--focus, --skip, --label-filter) that
// select no spec, before the target is probed: Ginkgo would run nothing
// and fail with its own "--fail-on-empty is set", a flag kconform does not
// have. A usage error (exit 2), said in the run's flags.
func CheckSelectsSpecs(cfg target.RunConfig) error {
	sc, _ := GinkgoConfig(cfg)
	preview := PreviewSpecs(sc)
	if len(parallel.Selected(preview)) > 0 {
		return nil
	}
	return fmt.Errorf("no spec matches %s (of the %d specs): nothing to run",
		cfg.Selection(), preview.PreRunStats.TotalSpecs)
}
