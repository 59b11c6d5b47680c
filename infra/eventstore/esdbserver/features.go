package esdbserver

import (
	"context"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/serverfeatures"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
)

// Version is the EventStoreDB version the server says it is: the protocol
// it follows is the one the v4 client speaks to EventStoreDB 24.10.
const Version = "24.10.0"

// features answers the client's first question on connecting: which
// version this is and which calls it serves. The client turns on batch
// appends and persistent-subscription calls only when they are listed, and
// none of them is served here.
type features struct {
	serverfeatures.UnimplementedServerFeaturesServer
}

func (features) GetSupportedMethods(context.Context, *shared.Empty) (*serverfeatures.SupportedMethods, error) {
	const streamsService = "event_store.client.streams.streams"
	return &serverfeatures.SupportedMethods{
		EventStoreServerVersion: Version,
		Methods: []*serverfeatures.SupportedMethod{
			{ServiceName: streamsService, MethodName: "read"},
			{ServiceName: streamsService, MethodName: "append"},
			{ServiceName: streamsService, MethodName: "delete"},
			{ServiceName: streamsService, MethodName: "tombstone"},
			{ServiceName: "event_store.client.server_features.serverfeatures", MethodName: "getsupportedmethods"},
		},
	}, nil
}
