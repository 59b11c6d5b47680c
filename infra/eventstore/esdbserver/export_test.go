package esdbserver

// RecordSpan lets the tests translate wire positions back to the backend's.
const RecordSpan = recordSpan
