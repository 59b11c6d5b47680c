package httpapi

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
)

// handleFunc is a command handler's Handle method.
type handleFunc[C any] func(ctx context.Context, m commands.Meta, cmd C) (commands.Result, error)

// create answers a registering command with 201, the new id and a
// Location under base (none when base is empty: an entry of a log, listed
// rather than addressed).
func create[C any](base string, handle handleFunc[C]) echo.HandlerFunc {
	return func(c echo.Context) error {
		var cmd C
		if err := bind(c, &cmd); err != nil {
			return err
		}
		m, err := MetaOf(c)
		if err != nil {
			return err
		}
		r, err := handle(c.Request().Context(), m, cmd)
		if err != nil {
			return err
		}
		location := ""
		if base != "" {
			location = base + "/" + r.ID
		}
		return accepted(c, http.StatusCreated, location, r)
	}
}

// act answers a command on an existing record (the id comes from the path).
func act[C any](setID func(*C, string), handle handleFunc[C]) echo.HandlerFunc {
	return actOn(pathID, setID, handle)
}

// actOn is act for records whose path id is read by parseID.
func actOn[C any](parseID func(echo.Context) (string, error), setID func(*C, string), handle handleFunc[C]) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := parseID(c)
		if err != nil {
			return err
		}
		var cmd C
		if err := bind(c, &cmd); err != nil {
			return err
		}
		setID(&cmd, id)
		m, err := MetaOf(c)
		if err != nil {
			return err
		}
		r, err := handle(c.Request().Context(), m, cmd)
		if err != nil {
			return err
		}
		return accepted(c, http.StatusOK, "", r)
	}
}
