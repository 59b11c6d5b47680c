package projections

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/localtime"
	"github.com/butler-pm/butler/domain/patrol"
	"github.com/butler-pm/butler/domain/vacant"
)

// Vacant-unit and patrol read models (R-V1…R-V4).
const (
	VacantUnitsIndex  = "vacant_units"
	VacantMonthsIndex = "vacant_months"
	PatrolsIndex      = "patrols"
)

// VacantUnit is one unit on the vacant-unit register.
type VacantUnit struct {
	ID           string           `json:"id"`
	Project      string           `json:"project"`
	District     string           `json:"district"`
	Unit         string           `json:"unit"`
	Butler       string           `json:"butler"`
	Status       string           `json:"status"` // vacant, occupied
	Services     []VacantService  `json:"services"`
	Weather      []VacantService  `json:"weather_services"`
	Findings     []VacantFindingR `json:"findings"`
	OpenFindings int              `json:"open_findings"`
	MissedMonths []string         `json:"missed_months"`
	// R-V2: extra services due after special weather ("date|weather" in
	// WeatherDays), the earliest due of those open, for the missed rule.
	WeatherDues      []VacantWeatherDue `json:"weather_dues"`
	WeatherDays      []string           `json:"weather_days"`
	WeatherOpen      bool               `json:"weather_open"`
	NextWeatherDueBy *time.Time         `json:"next_weather_due_by,omitempty"`
	RegisteredAt     time.Time          `json:"registered_at"`
	Versioned
}

// VacantService is one service done.
type VacantService struct {
	Kind  string    `json:"kind"`
	Month string    `json:"month,omitempty"`
	Notes string    `json:"notes,omitempty"`
	By    string    `json:"by"`
	At    time.Time `json:"at"`
}

// VacantWeatherDue is one extra service due after special weather (R-V2).
type VacantWeatherDue struct {
	Weather string    `json:"weather"`
	Date    string    `json:"date"`
	DueBy   time.Time `json:"due_by"`
	Status  string    `json:"status"` // open, served, missed
}

// VacantFindingR is one abnormal finding and how far it was followed.
type VacantFindingR struct {
	Description string `json:"description"`
	Contractor  string `json:"contractor,omitempty"`
	Result      string `json:"result,omitempty"`
	Status      string `json:"status"` // open, contractor_contacted, closed
}

// VacantUnits projects vacant-unit streams.
var VacantUnits = StreamModel[VacantUnit]{Index: VacantUnitsIndex, Prefix: vacant.StreamPrefix, Decode: vacant.Decode,
	Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "unit": Keyword, "butler": Keyword, "status": Keyword,
		"missed_months": Keyword, "registered_at": Date, "open_findings": Number,
		"weather_days": Keyword, "weather_open": Bool, "next_weather_due_by": Date,
	},
	Fold: func(d *VacantUnit, id string, p event.Payload, e event.Recorded) {
		by := e.Meta.Actor.StaffID
		switch p := p.(type) {
		case vacant.Registered:
			*d = VacantUnit{ID: id, Project: p.Project, District: p.District, Unit: p.Unit, Butler: by, Status: "vacant",
				Services: []VacantService{}, Weather: []VacantService{}, Findings: []VacantFindingR{}, MissedMonths: []string{},
				RegisteredAt: p.At}
		case vacant.Serviced:
			d.Services = append(d.Services, VacantService{Kind: p.Service, Month: p.Month, Notes: p.Notes, By: by, At: p.At})
		case vacant.WeatherServiced:
			d.Weather = append(d.Weather, VacantService{Kind: p.Weather, Notes: p.Notes, By: by, At: p.At})
		case vacant.FindingOpened:
			d.Findings = append(d.Findings, VacantFindingR{Description: p.Description, Status: "open"})
			d.OpenFindings++
		case vacant.ContractorContacted:
			d.Findings[p.Finding].Contractor, d.Findings[p.Finding].Status = p.Contractor, "contractor_contacted"
		case vacant.FindingClosed:
			d.Findings[p.Finding].Result, d.Findings[p.Finding].Status = p.Result, "closed"
			d.OpenFindings--
		case vacant.Occupied:
			d.Status = "occupied"
		case vacant.MonthMissed:
			d.MissedMonths = append(d.MissedMonths, p.Month)
		case vacant.WeatherServiceDue:
			status := "open"
			if p.ServedAt != nil {
				status = "served"
			}
			d.WeatherDues = append(d.WeatherDues, VacantWeatherDue{Weather: p.Weather, Date: p.Date, DueBy: p.DueBy, Status: status})
			d.WeatherDays = append(d.WeatherDays, p.Date+"|"+p.Weather)
		}
		// R-V2: a weather service answers every extra service open; a miss closes its own.
		for i := range d.WeatherDues {
			w := &d.WeatherDues[i]
			switch p := p.(type) {
			case vacant.WeatherServiced:
				if w.Status == "open" {
					w.Status = "served"
				}
			case vacant.WeatherServiceMissed:
				if w.Date == p.Date && w.Weather == p.Weather {
					w.Status = "missed"
				}
			}
		}
		if d.WeatherDues == nil {
			d.WeatherDues, d.WeatherDays = []VacantWeatherDue{}, []string{}
		}
		d.WeatherOpen, d.NextWeatherDueBy = false, nil
		for _, w := range d.WeatherDues {
			if w.Status == "open" && (d.NextWeatherDueBy == nil || w.DueBy.Before(*d.NextWeatherDueBy)) {
				due := w.DueBy
				d.WeatherOpen, d.NextWeatherDueBy = true, &due
			}
		}
	},
}

// VacantMonth is one unit's month (R-V1): which services were done and
// whether the month-end policy recorded misses. It is kept with a small
// document per unit ("unit:<id>") holding the unit's butler.
type VacantMonth struct {
	ID          string   `json:"id"`
	Kind        string   `json:"kind"` // month, unit, or occupied_month (the unit was occupied during it: not counted)
	Project     string   `json:"project"`
	District    string   `json:"district"`
	Butler      string   `json:"butler"`
	UnitID      string   `json:"unit_id"`
	Unit        string   `json:"unit"`
	Month       string   `json:"month,omitempty"`
	Inspection  bool     `json:"inspection"`
	Ventilation bool     `json:"ventilation"`
	Cleaning    bool     `json:"cleaning"`
	Compliant   bool     `json:"compliant"`
	Missed      []string `json:"missed,omitempty"`
	// R-V2, kind "weather_service": one extra service due after special
	// weather (Month is the weather's), served or missed once settled.
	Weather       string     `json:"weather,omitempty"`
	Date          string     `json:"date,omitempty"`
	DueBy         *time.Time `json:"due_by,omitempty"`
	Served        bool       `json:"served"`
	ServedAt      *time.Time `json:"served_at,omitempty"`
	WeatherMissed bool       `json:"weather_missed"`
	Settled       bool       `json:"settled"`
	// OpenWeather, on the unit's document: its weather services not settled.
	OpenWeather []string `json:"open_weather,omitempty"`
}

// VacantMonths projects unit-months from vacant-unit streams.
type VacantMonths struct{}

func (VacantMonths) Name() string { return VacantMonthsIndex }
func (VacantMonths) Schema() Schema {
	return Schema{Name: VacantMonthsIndex, Fields: map[string]FieldKind{
		"id": Keyword, "kind": Keyword, "project": Keyword, "district": Keyword, "butler": Keyword, "unit_id": Keyword,
		"unit": Keyword, "month": Keyword, "missed": Keyword,
		"inspection": Bool, "ventilation": Bool, "cleaning": Bool, "compliant": Bool,
		"weather": Keyword, "date": Keyword, "served": Bool, "weather_missed": Bool, "settled": Bool, "due_by": Date,
	}}
}

func (VacantMonths) Apply(ctx context.Context, e event.Recorded, docs *Docs) error {
	id, p, ok, err := ofStream(e, vacant.StreamPrefix, vacant.Decode)
	if !ok || err != nil {
		return err
	}
	if cur, found, err := docs.Get(ctx, "unit:"+id); err != nil {
		return err
	} else if found && e.Revision <= cur.Version {
		return nil
	}
	var unit VacantMonth
	var answered []string // R-V2: the weather services a weather service settles
	if err := FoldStream(ctx, docs, "unit:"+id, e, func(d *VacantMonth) error {
		switch p := p.(type) {
		case vacant.Registered:
			*d = VacantMonth{ID: "unit:" + id, Kind: "unit", Project: p.Project, District: p.District, Butler: e.Meta.Actor.StaffID, UnitID: id, Unit: p.Unit}
		case vacant.WeatherServiceDue:
			if p.ServedAt == nil {
				d.OpenWeather = append(d.OpenWeather, weatherServiceID(id, p.Date, p.Weather))
			}
		case vacant.WeatherServiced:
			answered, d.OpenWeather = d.OpenWeather, nil
		case vacant.WeatherServiceMissed:
			d.OpenWeather = slices.DeleteFunc(d.OpenWeather, func(s string) bool { return s == weatherServiceID(id, p.Date, p.Weather) })
		}
		unit = *d
		return nil
	}); err != nil {
		return err
	}
	switch p := p.(type) {
	case vacant.WeatherServiceDue:
		due := p.DueBy
		w := VacantMonth{ID: weatherServiceID(id, p.Date, p.Weather), Kind: "weather_service", Project: unit.Project, District: unit.District,
			Butler: unit.Butler, UnitID: id, Unit: unit.Unit, Month: p.Date[:min(7, len(p.Date))], Weather: p.Weather, Date: p.Date, DueBy: &due,
			Served: p.ServedAt != nil, ServedAt: p.ServedAt, Settled: p.ServedAt != nil}
		return putVacantDoc(docs, w, e)
	case vacant.WeatherServiced:
		for _, wid := range answered {
			if err := updateVacantDoc(ctx, docs, wid, e, func(w *VacantMonth) {
				at := p.At
				w.Served, w.ServedAt, w.Settled = !at.After(*w.DueBy), &at, true
				w.WeatherMissed = !w.Served
			}); err != nil {
				return err
			}
		}
		return nil
	case vacant.WeatherServiceMissed:
		return updateVacantDoc(ctx, docs, weatherServiceID(id, p.Date, p.Weather), e, func(w *VacantMonth) {
			w.WeatherMissed, w.Settled = true, true
		})
	}
	var month string
	var change func(m *VacantMonth)
	switch p := p.(type) {
	case vacant.Serviced:
		month = p.Month
		change = func(m *VacantMonth) {
			switch p.Service {
			case vacant.Inspection:
				m.Inspection = true
			case vacant.Ventilation:
				m.Ventilation = true
			case vacant.Cleaning:
				m.Cleaning = true
			}
		}
	case vacant.MonthMissed:
		month = p.Month
		change = func(m *VacantMonth) { m.Missed = p.Missing }
	case vacant.Occupied:
		// R-V1 asks the services of a unit vacant through the month: the
		// month it was occupied in is not a vacant month (the month-end rule
		// records no miss for it), so its services done before do not make a
		// failed vacant month. Only an existing unit-month changes kind.
		month = localtime.Month(p.At)
		if _, found, err := docs.Get(ctx, id+"@"+month); err != nil || !found {
			return err
		}
		change = func(m *VacantMonth) { m.Kind = "occupied_month" }
	default:
		return nil
	}
	mid := id + "@" + month
	m := VacantMonth{ID: mid, Kind: "month", Project: unit.Project, District: unit.District, Butler: unit.Butler, UnitID: id, Unit: unit.Unit, Month: month}
	if cur, found, err := docs.Get(ctx, mid); err != nil {
		return err
	} else if found {
		if err := json.Unmarshal(cur.Source, &m); err != nil {
			return err
		}
	}
	change(&m)
	m.Compliant = m.Inspection && m.Ventilation && m.Cleaning
	src, err := json.Marshal(m)
	if err != nil {
		return err
	}
	docs.Put(Document{ID: mid, Version: e.Revision, Source: src})
	return nil
}

// weatherServiceID is the document of one unit's extra service after
// special weather (R-V2).
func weatherServiceID(unitID, date, weather string) string {
	return unitID + "@weather:" + date + "|" + weather
}

func putVacantDoc(docs *Docs, d VacantMonth, e event.Recorded) error {
	src, err := json.Marshal(d)
	if err != nil {
		return err
	}
	docs.Put(Document{ID: d.ID, Version: e.Revision, Source: src})
	return nil
}

// updateVacantDoc changes a stored document, if there is one.
func updateVacantDoc(ctx context.Context, docs *Docs, id string, e event.Recorded, change func(*VacantMonth)) error {
	cur, found, err := docs.Get(ctx, id)
	if err != nil || !found {
		return err
	}
	var d VacantMonth
	if err := json.Unmarshal(cur.Source, &d); err != nil {
		return err
	}
	change(&d)
	return putVacantDoc(docs, d, e)
}

// PatrolRecord is a patrol ("patrol") or a butler's patrolled day ("day").
type PatrolRecord struct {
	ID         string            `json:"id"`
	Kind       string            `json:"kind"`
	Project    string            `json:"project"`
	District   string            `json:"district"`
	Butler     string            `json:"butler"`
	Date       string            `json:"date"`
	Month      string            `json:"month"`
	Areas      []string          `json:"areas,omitempty"`
	Findings   []string          `json:"findings,omitempty"`
	WorkOrders map[string]string `json:"work_orders,omitempty"` // finding index → work order id
	At         time.Time         `json:"at"`
}

// Patrols projects patrol streams.
type Patrols struct{}

func (Patrols) Name() string { return PatrolsIndex }

// StreamOf: a patrol's document is folded from its own stream alone (the
// day documents are counted, never addressed).
func (Patrols) StreamOf(id string) string { return patrol.StreamPrefix + id }
func (Patrols) Schema() Schema {
	return Schema{Name: PatrolsIndex, Fields: map[string]FieldKind{
		"id": Keyword, "kind": Keyword, "project": Keyword, "district": Keyword, "butler": Keyword, "date": Keyword, "month": Keyword,
		"areas": Text, "findings": Text, "at": Date,
	}}
}

func (Patrols) Apply(ctx context.Context, e event.Recorded, docs *Docs) error {
	id, p, ok, err := ofStream(e, patrol.StreamPrefix, patrol.Decode)
	if !ok || err != nil {
		return err
	}
	var rec PatrolRecord
	if err := FoldStream(ctx, docs, id, e, func(d *PatrolRecord) error {
		switch p := p.(type) {
		case patrol.Recorded:
			*d = PatrolRecord{ID: id, Kind: "patrol", Project: p.Project, District: p.District, Butler: p.Butler, Date: p.Date,
				Month: p.Date[:7], Areas: p.Areas, Findings: p.Findings, WorkOrders: map[string]string{}, At: p.At}
		case patrol.FindingReported:
			if d.WorkOrders == nil {
				d.WorkOrders = map[string]string{}
			}
			d.WorkOrders[strconv.Itoa(p.Finding)] = p.WorkOrderID
		}
		rec = *d
		return nil
	}); err != nil {
		return err
	}
	if _, ok := p.(patrol.Recorded); !ok {
		return nil
	}
	// One "day" document per butler and date: patrol-days counts them.
	dayID := "day:" + rec.Butler + ":" + rec.Date
	if _, found, err := docs.Get(ctx, dayID); err != nil || found {
		return err
	}
	src, err := json.Marshal(PatrolRecord{ID: dayID, Kind: "day", Project: rec.Project, District: rec.District, Butler: rec.Butler,
		Date: rec.Date, Month: rec.Month, At: rec.At})
	if err != nil {
		return err
	}
	docs.Put(Document{ID: dayID, Version: uint64(e.Position), Source: src})
	return nil
}
