//! The closed vocabularies of IMS Simple Sequencing and the ADL navigation extension.

use serde::Serialize;

/// Declares a closed vocabulary: an enum whose variants map one-to-one to manifest tokens.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $token:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
        }

        impl $name {
            /// The token as written in the manifest.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $token,)*
                }
            }

            /// Parses the token (exact spelling, as the schema requires).
            pub fn parse(token: &str) -> Option<Self> {
                match token {
                    $($token => Some($name::$variant),)*
                    _ => None,
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}

vocabulary! {
    /// A condition of a sequencing rule.
    RuleCondition {
        /// Objective satisfied.
        Satisfied = "satisfied",
        /// Objective status known.
        ObjectiveStatusKnown = "objectiveStatusKnown",
        /// Objective measure known.
        ObjectiveMeasureKnown = "objectiveMeasureKnown",
        /// Objective measure above the threshold.
        ObjectiveMeasureGreaterThan = "objectiveMeasureGreaterThan",
        /// Objective measure below the threshold.
        ObjectiveMeasureLessThan = "objectiveMeasureLessThan",
        /// Activity completed.
        Completed = "completed",
        /// Activity progress known.
        ActivityProgressKnown = "activityProgressKnown",
        /// Activity attempted.
        Attempted = "attempted",
        /// Attempt limit exceeded.
        AttemptLimitExceeded = "attemptLimitExceeded",
        /// Time limit exceeded.
        TimeLimitExceeded = "timeLimitExceeded",
        /// Outside the available time range.
        OutsideAvailableTimeRange = "outsideAvailableTimeRange",
        /// Always true.
        Always = "always",
    }
}

vocabulary! {
    /// The action of a pre-, exit or post-condition rule.
    RuleAction {
        /// Pre: skip the activity.
        Skip = "skip",
        /// Pre: the activity cannot be delivered.
        Disabled = "disabled",
        /// Pre: hidden from choice.
        HiddenFromChoice = "hiddenFromChoice",
        /// Pre: stop forward traversal.
        StopForwardTraversal = "stopForwardTraversal",
        /// Exit: exit the parent.
        ExitParent = "exitParent",
        /// Exit/post: exit everything.
        ExitAll = "exitAll",
        /// Post: retry the activity.
        Retry = "retry",
        /// Post: retry everything.
        RetryAll = "retryAll",
        /// Post: continue.
        Continue = "continue",
        /// Post: previous.
        Previous = "previous",
        /// Exit: exit the activity.
        Exit = "exit",
    }
}

vocabulary! {
    /// Negation of a condition.
    ConditionOperator {
        /// Negate.
        Not = "not",
        /// Keep as is.
        NoOp = "noOp",
    }
}

vocabulary! {
    /// How the conditions of a rule combine.
    ConditionCombination {
        /// All must hold.
        All = "all",
        /// Any must hold.
        Any = "any",
    }
}

vocabulary! {
    /// Which children a rollup rule looks at.
    ChildActivitySet {
        /// All children.
        All = "all",
        /// Any child.
        Any = "any",
        /// No child.
        None = "none",
        /// At least `minimumCount` children.
        AtLeastCount = "atLeastCount",
        /// At least `minimumPercent` of the children.
        AtLeastPercent = "atLeastPercent",
    }
}

vocabulary! {
    /// The result of a rollup rule.
    RollupAction {
        /// Satisfied.
        Satisfied = "satisfied",
        /// Not satisfied.
        NotSatisfied = "notSatisfied",
        /// Completed.
        Completed = "completed",
        /// Incomplete.
        Incomplete = "incomplete",
    }
}

vocabulary! {
    /// When randomization or selection happens.
    RandomizationTiming {
        /// Never.
        Never = "never",
        /// Once.
        Once = "once",
        /// On each new attempt.
        OnEachNewAttempt = "onEachNewAttempt",
    }
}

vocabulary! {
    /// When a child counts in rollup (`adlseq:rollupConsiderations`).
    RollupConsideration {
        /// Always.
        Always = "always",
        /// If attempted.
        IfAttempted = "ifAttempted",
        /// If not skipped.
        IfNotSkipped = "ifNotSkipped",
        /// If not suspended.
        IfNotSuspended = "ifNotSuspended",
    }
}

vocabulary! {
    /// An LMS navigation control the content asks to hide (`adlnav:hideLMSUI`).
    HideLmsUi {
        /// Previous.
        Previous = "previous",
        /// Continue.
        Continue = "continue",
        /// Exit.
        Exit = "exit",
        /// Exit all.
        ExitAll = "exitAll",
        /// Abandon.
        Abandon = "abandon",
        /// Abandon all.
        AbandonAll = "abandonAll",
        /// Suspend all.
        SuspendAll = "suspendAll",
    }
}
