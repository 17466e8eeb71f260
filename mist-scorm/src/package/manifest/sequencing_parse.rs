//! Reading `imsss:sequencing` (with the `adlseq:` extensions) and `adlnav:presentation`.

use super::context::Ctx;
use super::sequencing::*;
use super::vocabulary::*;
use super::xml::{Node, Ns};
use crate::package::diagnostic::Code;

/// Reads one `imsss:sequencing` element.
pub(crate) fn sequencing(ctx: &mut Ctx<'_>, node: &Node) -> Sequencing {
    let mut seq = Sequencing {
        // xs:ID and xs:IDREF collapse whitespace, and the ADL suite relies on it.
        id: node.attr(Ns::None, "ID").map(|id| id.trim().to_owned()),
        id_ref: node.attr(Ns::None, "IDRef").map(|id| id.trim().to_owned()),
        ..Sequencing::default()
    };
    for child in &node.children {
        match (child.ns, child.local.as_str()) {
            (Ns::Imsss, "controlMode") => seq.control_mode = Some(control_mode(ctx, child)),
            (Ns::Imsss, "sequencingRules") => {
                for rule in &child.children {
                    let list = match (rule.ns, rule.local.as_str()) {
                        (Ns::Imsss, "preConditionRule") => &mut seq.pre_condition_rules,
                        (Ns::Imsss, "exitConditionRule") => &mut seq.exit_condition_rules,
                        (Ns::Imsss, "postConditionRule") => &mut seq.post_condition_rules,
                        _ => {
                            ctx.unexpected(child, rule);
                            continue;
                        }
                    };
                    if let Some(parsed) = sequencing_rule(ctx, rule) {
                        list.push(parsed);
                    }
                }
            }
            (Ns::Imsss, "limitConditions") => {
                seq.limit_conditions = Some(LimitConditions {
                    attempt_limit: ctx.number_attr(child, "attemptLimit", (0, u32::MAX)),
                    attempt_absolute_duration_limit: child
                        .attr(Ns::None, "attemptAbsoluteDurationLimit")
                        .map(str::to_owned),
                });
            }
            (Ns::Imsss, "rollupRules") => seq.rollup_rules = Some(rollup_rules(ctx, child)),
            (Ns::Imsss, "objectives") => seq.objectives = objectives(ctx, child),
            (Ns::Imsss, "randomizationControls") => {
                let mut timing = |name| {
                    ctx.token_attr(child, name, RandomizationTiming::parse)
                        .unwrap_or(RandomizationTiming::Never)
                };
                let randomization_timing = timing("randomizationTiming");
                let selection_timing = timing("selectionTiming");
                seq.randomization_controls = Some(RandomizationControls {
                    randomization_timing,
                    selection_timing,
                    select_count: ctx.number_attr(child, "selectCount", (0, u32::MAX)),
                    reorder_children: ctx.bool_attr(child, Ns::None, "reorderChildren", false),
                });
            }
            (Ns::Imsss, "deliveryControls") => {
                seq.delivery_controls = Some(DeliveryControls {
                    tracked: ctx.bool_attr(child, Ns::None, "tracked", true),
                    completion_set_by_content: ctx.bool_attr(
                        child,
                        Ns::None,
                        "completionSetByContent",
                        false,
                    ),
                    objective_set_by_content: ctx.bool_attr(
                        child,
                        Ns::None,
                        "objectiveSetByContent",
                        false,
                    ),
                });
            }
            (Ns::Imsss, "auxiliaryResources") => {
                ctx.report(
                    child,
                    crate::package::diagnostic::Severity::Info,
                    Code::ManifestExtensionIgnored,
                    "auxiliary resources are not part of SCORM; ignored".to_owned(),
                );
            }
            (Ns::Adlseq, "constrainedChoiceConsiderations") => {
                seq.constrained_choice = Some(ConstrainedChoice {
                    prevent_activation: ctx.bool_attr(child, Ns::None, "preventActivation", false),
                    constrain_choice: ctx.bool_attr(child, Ns::None, "constrainChoice", false),
                });
            }
            (Ns::Adlseq, "rollupConsiderations") => {
                let mut required = |name| {
                    ctx.token_attr(child, name, RollupConsideration::parse)
                        .unwrap_or(RollupConsideration::Always)
                };
                let (satisfied, not_satisfied) = (
                    required("requiredForSatisfied"),
                    required("requiredForNotSatisfied"),
                );
                let (completed, incomplete) = (
                    required("requiredForCompleted"),
                    required("requiredForIncomplete"),
                );
                seq.rollup_considerations = Some(RollupConsiderations {
                    required_for_satisfied: satisfied,
                    required_for_not_satisfied: not_satisfied,
                    required_for_completed: completed,
                    required_for_incomplete: incomplete,
                    measure_satisfaction_if_active: ctx.bool_attr(
                        child,
                        Ns::None,
                        "measureSatisfactionIfActive",
                        true,
                    ),
                });
            }
            (Ns::Adlseq, "objectives") => {
                for objective in &child.children {
                    if (objective.ns, objective.local.as_str()) != (Ns::Adlseq, "objective") {
                        ctx.unexpected(child, objective);
                        continue;
                    }
                    let objective_id = ctx
                        .required_attr(objective, "objectiveID")
                        .unwrap_or_default();
                    let map_info = named_children(ctx, objective, Ns::Adlseq, "mapInfo")
                        .into_iter()
                        .map(|m| adl_map_info(ctx, m))
                        .collect();
                    seq.adl_objectives.push(AdlObjective {
                        objective_id,
                        map_info,
                    });
                }
            }
            _ => ctx.unexpected(node, child),
        }
    }
    seq
}

fn control_mode(ctx: &mut Ctx<'_>, node: &Node) -> ControlMode {
    let mut flag = |name, default| ctx.bool_attr(node, Ns::None, name, default);
    ControlMode {
        choice: flag("choice", true),
        choice_exit: flag("choiceExit", true),
        flow: flag("flow", false),
        forward_only: flag("forwardOnly", false),
        use_current_attempt_objective_info: flag("useCurrentAttemptObjectiveInfo", true),
        use_current_attempt_progress_info: flag("useCurrentAttemptProgressInfo", true),
    }
}

fn sequencing_rule(ctx: &mut Ctx<'_>, node: &Node) -> Option<SequencingRule> {
    let mut combination = ConditionCombination::All;
    let mut conditions = Vec::new();
    let mut action = None;
    for child in &node.children {
        match (child.ns, child.local.as_str()) {
            (Ns::Imsss, "ruleConditions") => {
                combination = ctx
                    .token_attr(child, "conditionCombination", ConditionCombination::parse)
                    .unwrap_or(ConditionCombination::All);
                for condition in named_children(ctx, child, Ns::Imsss, "ruleCondition") {
                    let Some(kind) =
                        required_token(ctx, condition, "condition", RuleCondition::parse)
                    else {
                        continue;
                    };
                    conditions.push(SequencingCondition {
                        referenced_objective: condition
                            .attr(Ns::None, "referencedObjective")
                            .map(str::to_owned),
                        measure_threshold: ctx
                            .number_attr(condition, "measureThreshold", (-1.0, 1.0))
                            .unwrap_or(0.0),
                        operator: ctx
                            .token_attr(condition, "operator", ConditionOperator::parse)
                            .unwrap_or(ConditionOperator::NoOp),
                        condition: kind,
                    });
                }
            }
            (Ns::Imsss, "ruleAction") => {
                action = required_token(ctx, child, "action", RuleAction::parse)
            }
            _ => ctx.unexpected(node, child),
        }
    }
    Some(SequencingRule {
        combination,
        conditions,
        action: action?,
    })
}

fn rollup_rules(ctx: &mut Ctx<'_>, node: &Node) -> RollupRules {
    let mut rules = Vec::new();
    for rule in named_children(ctx, node, Ns::Imsss, "rollupRule") {
        let mut combination = ConditionCombination::Any;
        let mut conditions = Vec::new();
        let mut action = None;
        for child in &rule.children {
            match (child.ns, child.local.as_str()) {
                (Ns::Imsss, "rollupConditions") => {
                    combination = ctx
                        .token_attr(child, "conditionCombination", ConditionCombination::parse)
                        .unwrap_or(ConditionCombination::Any);
                    for condition in named_children(ctx, child, Ns::Imsss, "rollupCondition") {
                        if let Some(kind) =
                            required_token(ctx, condition, "condition", RuleCondition::parse)
                        {
                            let operator = ctx
                                .token_attr(condition, "operator", ConditionOperator::parse)
                                .unwrap_or(ConditionOperator::NoOp);
                            conditions.push(RollupCondition {
                                operator,
                                condition: kind,
                            });
                        }
                    }
                }
                (Ns::Imsss, "rollupAction") => {
                    action = required_token(ctx, child, "action", RollupAction::parse)
                }
                _ => ctx.unexpected(rule, child),
            }
        }
        let Some(action) = action else { continue };
        rules.push(RollupRule {
            child_activity_set: ctx
                .token_attr(rule, "childActivitySet", ChildActivitySet::parse)
                .unwrap_or(ChildActivitySet::All),
            minimum_count: ctx
                .number_attr(rule, "minimumCount", (0, u32::MAX))
                .unwrap_or(0),
            minimum_percent: ctx
                .number_attr(rule, "minimumPercent", (0.0, 1.0))
                .unwrap_or(0.0),
            combination,
            conditions,
            action,
        });
    }
    RollupRules {
        rollup_objective_satisfied: ctx.bool_attr(node, Ns::None, "rollupObjectiveSatisfied", true),
        rollup_progress_completion: ctx.bool_attr(node, Ns::None, "rollupProgressCompletion", true),
        objective_measure_weight: ctx
            .number_attr(node, "objectiveMeasureWeight", (0.0, 1.0))
            .unwrap_or(1.0),
        rules,
    }
}

fn objectives(ctx: &mut Ctx<'_>, node: &Node) -> Option<Objectives> {
    let mut primary = None;
    let mut others = Vec::new();
    for child in &node.children {
        match (child.ns, child.local.as_str()) {
            (Ns::Imsss, "primaryObjective") => primary = Some(objective(ctx, child)),
            (Ns::Imsss, "objective") => others.push(objective(ctx, child)),
            _ => ctx.unexpected(node, child),
        }
    }
    if primary.is_none() {
        ctx.violation(
            node,
            Code::ManifestRequiredMissing,
            "<objectives> has no <primaryObjective>".to_owned(),
        );
    }
    Some(Objectives {
        primary: primary?,
        others,
    })
}

fn objective(ctx: &mut Ctx<'_>, node: &Node) -> Objective {
    let mut min_normalized_measure = 1.0;
    let mut map_info = Vec::new();
    for child in &node.children {
        match (child.ns, child.local.as_str()) {
            (Ns::Imsss, "minNormalizedMeasure") => {
                if let Some(v) = ctx.number(child, "value", child.trimmed_text(), (-1.0, 1.0)) {
                    min_normalized_measure = v;
                }
            }
            (Ns::Imsss, "mapInfo") => {
                let target_objective_id = ctx
                    .required_attr(child, "targetObjectiveID")
                    .unwrap_or_default();
                let mut flag = |name, default| ctx.bool_attr(child, Ns::None, name, default);
                map_info.push(MapInfo {
                    target_objective_id,
                    read_satisfied_status: flag("readSatisfiedStatus", true),
                    read_normalized_measure: flag("readNormalizedMeasure", true),
                    write_satisfied_status: flag("writeSatisfiedStatus", false),
                    write_normalized_measure: flag("writeNormalizedMeasure", false),
                });
            }
            _ => ctx.unexpected(node, child),
        }
    }
    Objective {
        id: node.attr(Ns::None, "objectiveID").map(str::to_owned),
        satisfied_by_measure: ctx.bool_attr(node, Ns::None, "satisfiedByMeasure", false),
        min_normalized_measure,
        map_info,
    }
}

fn adl_map_info(ctx: &mut Ctx<'_>, node: &Node) -> AdlMapInfo {
    let target_objective_id = ctx
        .required_attr(node, "targetObjectiveID")
        .unwrap_or_default();
    let mut flag = |name, default| ctx.bool_attr(node, Ns::None, name, default);
    AdlMapInfo {
        target_objective_id,
        read_raw_score: flag("readRawScore", true),
        read_min_score: flag("readMinScore", true),
        read_max_score: flag("readMaxScore", true),
        read_completion_status: flag("readCompletionStatus", true),
        read_progress_measure: flag("readProgressMeasure", true),
        write_raw_score: flag("writeRawScore", false),
        write_min_score: flag("writeMinScore", false),
        write_max_score: flag("writeMaxScore", false),
        write_completion_status: flag("writeCompletionStatus", false),
        write_progress_measure: flag("writeProgressMeasure", false),
    }
}

/// Reads `adlnav:presentation`: the LMS controls to hide.
pub(crate) fn presentation(ctx: &mut Ctx<'_>, node: &Node) -> Vec<HideLmsUi> {
    let mut hidden = Vec::new();
    for interface in named_children(ctx, node, Ns::Adlnav, "navigationInterface") {
        for hide in named_children(ctx, interface, Ns::Adlnav, "hideLMSUI") {
            match HideLmsUi::parse(hide.trimmed_text()) {
                Some(control) => hidden.push(control),
                None => {
                    ctx.violation(
                        hide,
                        Code::ManifestInvalidValue,
                        format!("unknown LMS control to hide: {:?}", hide.trimmed_text()),
                    );
                }
            }
        }
    }
    hidden
}

/// The children named `ns:local`; any other child is reported as unexpected.
fn named_children<'n>(ctx: &mut Ctx<'_>, node: &'n Node, ns: Ns, local: &str) -> Vec<&'n Node> {
    let (matching, other): (Vec<&Node>, Vec<&Node>) = node
        .children
        .iter()
        .partition(|c| c.ns == ns && c.local == local);
    for child in other {
        ctx.unexpected(node, child);
    }
    matching
}

/// A required vocabulary attribute: reported when missing or invalid.
fn required_token<T>(
    ctx: &mut Ctx<'_>,
    node: &Node,
    name: &str,
    parse: fn(&str) -> Option<T>,
) -> Option<T> {
    if node.attr(Ns::None, name).is_none() {
        ctx.required_attr(node, name);
        return None;
    }
    ctx.token_attr(node, name, parse)
}
