//! The SCORM run-time environment: data models, API state machine and error codes.
