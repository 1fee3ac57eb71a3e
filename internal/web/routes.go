package web

import (
	"fmt"
	"net/http"
)

// routes lists every page of the site; the API's routes are in api.go.
func (s *Server) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.Handle("GET /metrics", s.metrics.handler())
	mux.HandleFunc("GET /login", s.loginPage)
	mux.HandleFunc("POST /login", s.loginSubmit)
	mux.HandleFunc("POST /logout", s.logout)

	s.page(mux, "GET /{$}", signedIn, s.home)
	s.page(mux, "GET /account", signedIn, s.accountPage)
	s.page(mux, "GET /account/password", signedIn, s.passwordPage)
	s.page(mux, "POST /account/password", signedIn, s.passwordSubmit)
	s.page(mux, "POST /account/tokens", signedIn, s.tokenCreate)
	s.page(mux, "POST /account/tokens/{id}/revoke", signedIn, s.tokenRevoke)

	s.page(mux, "GET /records", dataRead, s.datasets)
	s.page(mux, "GET /records/{dataset}", dataRead, s.browse)
	s.page(mux, "GET /records/{dataset}/download", dataRead, s.download)
	s.page(mux, "GET /records/{dataset}/record", dataRead, s.record)

	s.page(mux, "GET /upload", submitter, s.uploadPage)
	s.page(mux, "POST /upload", submitter, s.uploadSubmit)
	s.page(mux, "GET /upload/{id}", submitter, s.uploadResult)
	s.page(mux, "GET /upload/{id}/annotated.xlsx", submitter, s.uploadAnnotated)
	s.page(mux, "POST /upload/{id}/confirm", submitter, s.uploadConfirm)

	s.page(mux, "GET /entry", submitter, s.entryIndex)
	s.page(mux, "GET /entry/{dataset}", submitter, s.entryForm)
	s.page(mux, "POST /entry/{dataset}", submitter, s.entrySubmit)
	s.page(mux, "POST /entry/{dataset}/check", submitter, s.entryCheck)

	s.page(mux, "GET /receipts", dataRead, s.receipts)
	s.page(mux, "GET /receipts/{id}", dataRead, s.receipt)
	s.page(mux, "GET /receipts/{id}/errors.xlsx", dataRead, s.receiptErrors)

	s.page(mux, "GET /agencies", signedIn, s.agencies)
	s.page(mux, "GET /agencies/{code}", signedIn, s.agencyPage)
	s.page(mux, "POST /agencies/{code}", signedIn, s.agencySave)

	s.page(mux, "GET /standard", signedIn, s.standardIndex)
	s.page(mux, "GET /standard/datasets/{dataset}", signedIn, s.standardDataset)
	s.page(mux, "GET /standard/codes", signedIn, s.standardCodes)
	s.page(mux, "GET /standard/rules", signedIn, s.standardRules)
	s.page(mux, "GET /standard/templates/{dataset}", signedIn, s.standardTemplate)

	s.page(mux, "GET /admin/users", admin, s.users)
	s.page(mux, "POST /admin/users", admin, s.userCreate)
	s.page(mux, "POST /admin/users/{id}", admin, s.userUpdate)

	s.page(mux, "GET /audit", auditor, s.auditPage)

	s.page(mux, "GET /progress", dataRead, s.progressOverview)
	s.page(mux, "GET /progress/agencies/{code}", dataRead, s.progressAgency)
	s.page(mux, "GET /progress/datasets/{dataset}", dataRead, s.progressDataset)
	s.page(mux, "GET /progress/explain", dataRead, s.progressExplain)
	s.page(mux, "GET /progress/formulas", signedIn, s.progressFormulas)
	s.page(mux, "GET /progress/report", dataRead, s.progressReport)
	s.page(mux, "GET /progress/rules", admin, s.progressRules)
	s.page(mux, "POST /progress/rules", admin, s.progressRuleSubmit)
	s.page(mux, "GET /progress/settings", admin, s.progressSettings)
	s.page(mux, "POST /progress/settings/expectations", admin, s.progressExpect)
	s.page(mux, "POST /progress/settings/milestones", admin, s.progressMilestone)

	s.apiRoutes(mux)
}
