// The SCORM API adapter is copied here from mist-scorm/adapter/ (see its README).
