package policy

import (
	"context"
	"slices"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/localtime"
	"github.com/butler-pm/butler/domain/vacant"
	"github.com/butler-pm/butler/projections"
)

// weatherDaysWindow is how many days back the R-V2 rule looks for special
// weather: a day's extra services are due within vacant.WeatherServiceDays,
// and a program stopped for a day still opens them (then records them
// missed if their time has passed).
const weatherDaysWindow = 3

// vacantWeatherServicesDue is R-V2: special weather recorded on the
// project's calendar makes an extra service due for every unit on the
// vacant register (vacant by the end of that day), once per day and kind.
func vacantWeatherServicesDue(h *commands.Handlers) func(context.Context, Searcher, time.Time) (int, error) {
	return func(ctx context.Context, reads Searcher, now time.Time) (int, error) {
		return eachProject(ctx, reads, projections.VacantUnitsIndex, projections.VacantUnitFieldProject, func(project string) (int, error) {
			weathers, err := h.SpecialWeatherSince(ctx, project, localtime.Day(now.AddDate(0, 0, -weatherDaysWindow)))
			if err != nil || len(weathers) == 0 {
				return 0, err
			}
			n := 0
			for _, w := range weathers {
				dueBy, ok := vacant.WeatherDueBy(w.Date)
				if !ok {
					continue
				}
				dayEnd := dueBy.AddDate(0, 0, 1-vacant.WeatherServiceDays)
				var units []string
				q := projections.Query{
					Terms:  terms{projections.VacantUnitFieldProject: {project}, projections.VacantUnitFieldStatus: {"vacant"}},
					Ranges: before(projections.VacantUnitFieldRegisteredAt, dayEnd),
					Sort:   []projections.Sort{{Field: projections.VacantUnitFieldRegisteredAt}}, Size: 500,
				}
				for {
					res, err := reads.Search(ctx, projections.VacantUnitsIndex, q)
					if err != nil {
						return n, err
					}
					for _, hit := range res.Hits {
						u, err := decode[projections.VacantUnit](hit)
						if err != nil {
							return n, err
						}
						if !slices.Contains(u.WeatherDays, w.Date+"|"+w.Kind) {
							units = append(units, u.ID)
						}
					}
					if len(res.Hits) < q.Size || res.Cursor == "" {
						break
					}
					q.After = res.Cursor
				}
				k, err := recordAll(ctx, units, func(ctx context.Context, id string) (bool, error) {
					return h.OpenVacantWeatherService(ctx, id, w.Kind, w.Date)
				})
				n += k
				if err != nil {
					return n, err
				}
			}
			return n, nil
		})
	}
}
