package conformance

import (
	"net/http"

	. "github.com/onsi/ginkgo/v2"

	"github.com/kconform/kconform/generated/api"
	"github.com/kconform/kconform/internal/mock"
	fw "github.com/kconform/kconform/suites/framework"
)

// manualIDCheck is the consumer page's action that asks for a manual
// identity check (internal/mock/CONTROL.md); Klarna documents none.
const manualIDCheck = "manual-id-check"

var _ = fw.Group("HPP manual identification check", Label(fw.HPP, fw.Lifecycle, fw.Consumer), func() {
	f := fw.New()

	/*
		Rule: the merchant can disable a session waiting for a manual identification check: DELETE answers 204 and the session reads DISABLED.
		Source: reference §3.1 ("Any non-final state →DISABLED through the DELETE call"; the contract's x-kconform-transitions: MANUAL_ID_CHECK → DISABLED), §1.2 (status enum MANUAL_ID_CHECK). How a session gets there is not documented; the consumer page's manual-id-check action stands in for it, and MANUAL_ID_CHECK's finality is not documented either: assumption A-manual-id-check.
	*/
	It("MUST let the merchant disable a session in MANUAL_ID_CHECK", fw.Cites("A-manual-id-check"), fw.Catches(mock.FaultManualIDCheckDisableRefused, "disable HPP session"), fw.Timeout, func(ctx SpecContext) {
		h := f.NewHPPSession(ctx)
		f.Opens(ctx, h)
		f.ExpectHPPStatus(ctx, h.ID, api.INPROGRESS) // so the run sees IN_PROGRESS → MANUAL_ID_CHECK
		f.Does(ctx, h, manualIDCheck)
		f.ExpectHPPStatus(ctx, h.ID, api.MANUALIDCHECK)
		f.DisableHPPSession(ctx, h.ID, http.StatusNoContent)
		f.ExpectHPPStatus(ctx, h.ID, api.DISABLED)
	})
})
