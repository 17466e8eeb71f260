//! IMS Simple Sequencing with the ADL extensions, as a typed model with the defaults of the
//! specification filled in (so the player never has to know them).

use serde::Serialize;

use super::vocabulary::*;

/// `imsss:sequencing`: the sequencing of one activity (or a shared one in the collection).
///
/// When an item's sequencing has an `IDRef`, [`Sequencing::merged_over`] fills each element
/// the item does not set from the referenced one, as IMS SS prescribes.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Sequencing {
    /// `@ID` (in the sequencing collection).
    pub id: Option<String>,
    /// `@IDRef`: the collection entry this one extends.
    pub id_ref: Option<String>,
    /// `controlMode`.
    pub control_mode: Option<ControlMode>,
    /// `sequencingRules/preConditionRule`.
    pub pre_condition_rules: Vec<SequencingRule>,
    /// `sequencingRules/exitConditionRule`.
    pub exit_condition_rules: Vec<SequencingRule>,
    /// `sequencingRules/postConditionRule`.
    pub post_condition_rules: Vec<SequencingRule>,
    /// `limitConditions`.
    pub limit_conditions: Option<LimitConditions>,
    /// `rollupRules`.
    pub rollup_rules: Option<RollupRules>,
    /// `objectives`.
    pub objectives: Option<Objectives>,
    /// `randomizationControls`.
    pub randomization_controls: Option<RandomizationControls>,
    /// `deliveryControls`.
    pub delivery_controls: Option<DeliveryControls>,
    /// `adlseq:constrainedChoiceConsiderations`.
    pub constrained_choice: Option<ConstrainedChoice>,
    /// `adlseq:rollupConsiderations`.
    pub rollup_considerations: Option<RollupConsiderations>,
    /// `adlseq:objectives`: extra mappings of the objectives above.
    pub adl_objectives: Vec<AdlObjective>,
}

/// `controlMode`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ControlMode {
    /// `@choice` (default true).
    pub choice: bool,
    /// `@choiceExit` (default true).
    pub choice_exit: bool,
    /// `@flow` (default false).
    pub flow: bool,
    /// `@forwardOnly` (default false).
    pub forward_only: bool,
    /// `@useCurrentAttemptObjectiveInfo` (default true).
    pub use_current_attempt_objective_info: bool,
    /// `@useCurrentAttemptProgressInfo` (default true).
    pub use_current_attempt_progress_info: bool,
}

/// A pre-, exit or post-condition rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SequencingRule {
    /// `ruleConditions/@conditionCombination` (default all).
    pub combination: ConditionCombination,
    /// `ruleConditions/ruleCondition`.
    pub conditions: Vec<SequencingCondition>,
    /// `ruleAction/@action`.
    pub action: RuleAction,
}

/// `ruleCondition`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SequencingCondition {
    /// `@referencedObjective`.
    pub referenced_objective: Option<String>,
    /// `@measureThreshold` (default 0.0).
    pub measure_threshold: f64,
    /// `@operator` (default noOp).
    pub operator: ConditionOperator,
    /// `@condition`.
    pub condition: RuleCondition,
}

/// `limitConditions`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LimitConditions {
    /// `@attemptLimit`.
    pub attempt_limit: Option<u32>,
    /// `@attemptAbsoluteDurationLimit` (ISO 8601 duration).
    pub attempt_absolute_duration_limit: Option<String>,
}

/// `rollupRules`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RollupRules {
    /// `@rollupObjectiveSatisfied` (default true).
    pub rollup_objective_satisfied: bool,
    /// `@rollupProgressCompletion` (default true).
    pub rollup_progress_completion: bool,
    /// `@objectiveMeasureWeight` (default 1.0).
    pub objective_measure_weight: f64,
    /// `rollupRule`.
    pub rules: Vec<RollupRule>,
}

/// `rollupRule`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RollupRule {
    /// `@childActivitySet` (default all).
    pub child_activity_set: ChildActivitySet,
    /// `@minimumCount` (default 0).
    pub minimum_count: u32,
    /// `@minimumPercent` (default 0.0).
    pub minimum_percent: f64,
    /// `rollupConditions/@conditionCombination` (default any).
    pub combination: ConditionCombination,
    /// `rollupConditions/rollupCondition`.
    pub conditions: Vec<RollupCondition>,
    /// `rollupAction/@action`.
    pub action: RollupAction,
}

/// `rollupCondition`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RollupCondition {
    /// `@operator` (default noOp).
    pub operator: ConditionOperator,
    /// `@condition`.
    pub condition: RuleCondition,
}

/// `objectives`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Objectives {
    /// `primaryObjective`.
    pub primary: Objective,
    /// `objective`.
    pub others: Vec<Objective>,
}

/// `primaryObjective` or `objective`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Objective {
    /// `@objectiveID`.
    pub id: Option<String>,
    /// `@satisfiedByMeasure` (default false).
    pub satisfied_by_measure: bool,
    /// `minNormalizedMeasure` (default 1.0): the scaled passing score.
    pub min_normalized_measure: f64,
    /// `mapInfo`.
    pub map_info: Vec<MapInfo>,
}

/// `mapInfo`: how a local objective reads and writes a global one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapInfo {
    /// `@targetObjectiveID`.
    pub target_objective_id: String,
    /// `@readSatisfiedStatus` (default true).
    pub read_satisfied_status: bool,
    /// `@readNormalizedMeasure` (default true).
    pub read_normalized_measure: bool,
    /// `@writeSatisfiedStatus` (default false).
    pub write_satisfied_status: bool,
    /// `@writeNormalizedMeasure` (default false).
    pub write_normalized_measure: bool,
}

/// `randomizationControls`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RandomizationControls {
    /// `@randomizationTiming` (default never).
    pub randomization_timing: RandomizationTiming,
    /// `@selectCount`.
    pub select_count: Option<u32>,
    /// `@reorderChildren` (default false).
    pub reorder_children: bool,
    /// `@selectionTiming` (default never).
    pub selection_timing: RandomizationTiming,
}

/// `deliveryControls`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DeliveryControls {
    /// `@tracked` (default true).
    pub tracked: bool,
    /// `@completionSetByContent` (default false).
    pub completion_set_by_content: bool,
    /// `@objectiveSetByContent` (default false).
    pub objective_set_by_content: bool,
}

/// `adlseq:constrainedChoiceConsiderations`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ConstrainedChoice {
    /// `@preventActivation` (default false).
    pub prevent_activation: bool,
    /// `@constrainChoice` (default false).
    pub constrain_choice: bool,
}

/// `adlseq:rollupConsiderations`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RollupConsiderations {
    /// `@requiredForSatisfied` (default always).
    pub required_for_satisfied: RollupConsideration,
    /// `@requiredForNotSatisfied` (default always).
    pub required_for_not_satisfied: RollupConsideration,
    /// `@requiredForCompleted` (default always).
    pub required_for_completed: RollupConsideration,
    /// `@requiredForIncomplete` (default always).
    pub required_for_incomplete: RollupConsideration,
    /// `@measureSatisfactionIfActive` (default true).
    pub measure_satisfaction_if_active: bool,
}

/// `adlseq:objective`: ADL extra mappings of one objective.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdlObjective {
    /// `@objectiveID`: the objective of `imsss:objectives` it extends.
    pub objective_id: String,
    /// `adlseq:mapInfo`.
    pub map_info: Vec<AdlMapInfo>,
}

/// `adlseq:mapInfo`: score, completion and progress mapping to a global objective.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdlMapInfo {
    /// `@targetObjectiveID`.
    pub target_objective_id: String,
    /// `@readRawScore` (default true).
    pub read_raw_score: bool,
    /// `@readMinScore` (default true).
    pub read_min_score: bool,
    /// `@readMaxScore` (default true).
    pub read_max_score: bool,
    /// `@readCompletionStatus` (default true).
    pub read_completion_status: bool,
    /// `@readProgressMeasure` (default true).
    pub read_progress_measure: bool,
    /// `@writeRawScore` (default false).
    pub write_raw_score: bool,
    /// `@writeMinScore` (default false).
    pub write_min_score: bool,
    /// `@writeMaxScore` (default false).
    pub write_max_score: bool,
    /// `@writeCompletionStatus` (default false).
    pub write_completion_status: bool,
    /// `@writeProgressMeasure` (default false).
    pub write_progress_measure: bool,
}

impl Sequencing {
    /// This sequencing with every element it leaves unset taken from `shared` (the
    /// collection entry its `IDRef` names); elements set here win as a whole.
    pub fn merged_over(&self, shared: &Sequencing) -> Sequencing {
        fn pick<T: Clone>(local: &Option<T>, shared: &Option<T>) -> Option<T> {
            local.clone().or_else(|| shared.clone())
        }
        fn pick_list<T: Clone>(local: &[T], shared: &[T]) -> Vec<T> {
            if local.is_empty() {
                shared.to_vec()
            } else {
                local.to_vec()
            }
        }
        Sequencing {
            id: self.id.clone(),
            id_ref: self.id_ref.clone(),
            control_mode: pick(&self.control_mode, &shared.control_mode),
            pre_condition_rules: pick_list(&self.pre_condition_rules, &shared.pre_condition_rules),
            exit_condition_rules: pick_list(
                &self.exit_condition_rules,
                &shared.exit_condition_rules,
            ),
            post_condition_rules: pick_list(
                &self.post_condition_rules,
                &shared.post_condition_rules,
            ),
            limit_conditions: pick(&self.limit_conditions, &shared.limit_conditions),
            rollup_rules: pick(&self.rollup_rules, &shared.rollup_rules),
            objectives: pick(&self.objectives, &shared.objectives),
            randomization_controls: pick(
                &self.randomization_controls,
                &shared.randomization_controls,
            ),
            delivery_controls: pick(&self.delivery_controls, &shared.delivery_controls),
            constrained_choice: pick(&self.constrained_choice, &shared.constrained_choice),
            rollup_considerations: pick(&self.rollup_considerations, &shared.rollup_considerations),
            adl_objectives: pick_list(&self.adl_objectives, &shared.adl_objectives),
        }
    }

    /// The scaled passing score: the primary objective's `minNormalizedMeasure` when it is
    /// satisfied by measure.
    pub fn scaled_passing_score(&self) -> Option<f64> {
        let primary = &self.objectives.as_ref()?.primary;
        primary
            .satisfied_by_measure
            .then_some(primary.min_normalized_measure)
    }
}
