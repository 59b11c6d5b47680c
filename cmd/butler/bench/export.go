package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/infra/eventstore/embedded"
	"github.com/butler-pm/butler/infra/httpapi"
	"github.com/butler-pm/butler/infra/personal"
	blevestore "github.com/butler-pm/butler/infra/search/bleve"
	"github.com/butler-pm/butler/projections"
)

// ExportResult is the export phase's figures.
type ExportResult struct {
	Rows         int
	XLSXRowsPerS float64
	CSVRowsPerS  float64
	XLSXBytes    int64
	CSVBytes     int64
	PeakRSSMiB   float64 // over both exports, the server and the client in this process
	BaselineMiB  float64 // the resident set before the exports (the index, the program)
	XLSXSeconds  float64
	CSVSeconds   float64
	// CPU seconds the process (server and client) spent on each export:
	// on a busy machine the wall-clock figures above stretch, these do not.
	XLSXCPUSeconds float64
	CSVCPUSeconds  float64
	HouseholdDocs  int
}

type exportTokens struct{}

func (exportTokens) Verify(string) (commands.Principal, error) {
	return commands.Principal{StaffID: "a-001", Role: commands.RoleAnalyst, Project: "p1"}, nil
}

type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now() }

// Export measures GET /api/v1/complaints?format=xlsx (and csv) of rows
// complaints, through the real HTTP handler over an embedded index in dir:
// rows per second as the client reads the download, and the peak resident
// set of the process during the exports. The owners are joined (an
// analyst's token: masked), as in a real export.
func Export(ctx context.Context, dir string, rows int) (ExportResult, error) {
	r := ExportResult{Rows: rows}
	idx, err := blevestore.Open(filepath.Join(dir, "export-index"))
	if err != nil {
		return r, err
	}
	defer idx.Close()
	events, err := embedded.Open(filepath.Join(dir, "export-events"))
	if err != nil {
		return r, err
	}
	defer events.Close()
	for _, s := range []projections.Schema{projections.Complaints.Schema(), projections.Households{}.Schema()} {
		if err := idx.EnsureIndex(ctx, s); err != nil {
			return r, err
		}
	}
	if err := fillComplaints(ctx, idx, rows, &r); err != nil {
		return r, err
	}
	// The index merges the new segments in the background: wait until it
	// is done, as a server's index has long been when someone exports.
	if _, err := settleIndex(ctx, filepath.Join(dir, "export-index"), 2*time.Second, 3*time.Minute); err != nil {
		return r, err
	}
	h := httpapi.New(httpapi.Deps{
		Tokens: exportTokens{}, Events: events, Reads: idx,
		Commands:    commands.NewHandlers(events, wallClock{}, nil, personal.NewMemorySealer()),
		Projections: []projections.Projection{projections.Complaints, projections.Households{}},
		Ready:       func(context.Context) error { return nil },
		Logger:      slog.New(slog.DiscardHandler),
		Limits:      httpapi.Limits{AddressRate: -1, TokenRate: -1},
		Zone:        time.FixedZone("CST", 8*3600),
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	runtime.GC()
	debug.FreeOSMemory()
	r.BaselineMiB = statusMiB("VmRSS:")
	resetPeakRSS()
	for _, format := range []string{"xlsx", "csv"} {
		start, cpu := time.Now(), cpuSeconds()
		n, err := download(ctx, srv.URL+"/api/v1/complaints?format="+format)
		if err != nil {
			return r, fmt.Errorf("export %s: %w", format, err)
		}
		secs, used := time.Since(start).Seconds(), cpuSeconds()-cpu
		if format == "xlsx" {
			r.XLSXRowsPerS, r.XLSXBytes, r.XLSXSeconds, r.XLSXCPUSeconds = float64(rows)/secs, n, secs, used
		} else {
			r.CSVRowsPerS, r.CSVBytes, r.CSVSeconds, r.CSVCPUSeconds = float64(rows)/secs, n, secs, used
		}
	}
	r.PeakRSSMiB = statusMiB("VmHWM:")
	return r, nil
}

func download(ctx context.Context, url string) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer bench")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return 0, fmt.Errorf("status %d: %s", resp.StatusCode, b)
	}
	return io.Copy(io.Discard, resp.Body)
}

// fillComplaints writes rows complaints (closed, return-visited, each
// with two communications, the shape of the demo's) over 2,000 households.
func fillComplaints(ctx context.Context, idx projections.SearchStore, rows int, r *ExportResult) error {
	const units = 2000
	base := time.Date(2026, 1, 1, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	unit := func(i int) string { return fmt.Sprintf("%d-%d-%d%02d", 1+i%12, 1+i%3, 1+i%18, 1+i%4) }
	var docs []projections.Document
	flush := func() error {
		if len(docs) == 0 {
			return nil
		}
		err := idx.Write(ctx, projections.ComplaintsIndex, docs, 0)
		docs = docs[:0]
		return err
	}
	var hh []projections.Document
	for i := 0; i < units; i++ {
		src, _ := json.Marshal(projections.Household{ID: unit(i), Project: "p1", District: fmt.Sprintf("d%d", 1+i%4), Unit: unit(i),
			Owner: "王秀英", Phones: []string{"13812345678"}, Stamped: projections.Stamped{Revision: 1, UpdatedAt: base}})
		hh = append(hh, projections.Document{ID: unit(i), Version: 1, Source: src})
	}
	if err := idx.Write(ctx, projections.HouseholdsIndex, hh, 0); err != nil {
		return err
	}
	r.HouseholdDocs = units
	cats := []string{"漏水", "噪音", "保洁", "停车", "绿化", "电梯"}
	for i := 0; i < rows; i++ {
		at := base.Add(time.Duration(i) * 5 * time.Minute)
		closed, resolved := at.Add(30*time.Hour), at.Add(20*time.Hour)
		d := projections.Complaint{ID: fmt.Sprintf("01900000-0000-7000-8000-%012d", i), Project: "p1", District: fmt.Sprintf("d%d", 1+i%4),
			Unit: unit(i % units), Category: cats[i%len(cats)], Description: "业主反映" + cats[i%len(cats)] + "问题，希望尽快处理并回复",
			Soothing: "已致歉并说明处理时限", Status: "closed", Butler: fmt.Sprintf("b-%03d", 1+i%8), RegisteredBy: "b-001",
			Month: at.Format("2006-01"), RegisteredAt: at, Level: "butler", Resolution: "已安排维修并复查", ResolvedAt: &resolved,
			ReturnVisited: true, Satisfaction: 3 + i%3, ClosedAt: &closed, Stamped: projections.Stamped{Revision: 6, UpdatedAt: closed},
			Communications: []projections.Communication{{Channel: "phone", Note: "电话告知处理进度", By: "b-001", At: at.Add(time.Hour)},
				{Channel: "visit", Note: "上门查看", By: "b-001", At: at.Add(3 * time.Hour)}}}
		src, err := json.Marshal(d)
		if err != nil {
			return err
		}
		docs = append(docs, projections.Document{ID: d.ID, Version: 1, Source: src})
		if len(docs) == 1000 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// cpuSeconds is the CPU time (user and system) this process has used.
func cpuSeconds() float64 {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return math.NaN()
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano()).Seconds()
}
