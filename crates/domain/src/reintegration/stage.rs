//! Where a case is on the way from counselling to closure, and which steps are allowed.
//! A case moves forward one step at a time (a few steps may be skipped where the work
//! really allows it), back only where the work goes back (a rejected plan, a handover
//! returned); closing a case and reopening it are a manager's.

code_enum!(
    /// The stages of a case, in order.
    Stage {
        Registered = "registered" / "Registered",
        Counselled = "counselled" / "Counselled",
        Departed = "departed" / "Departed",
        Arrived = "arrived" / "Arrived",
        Assessed = "assessed" / "Needs assessed",
        PlanSubmitted = "plan_submitted" / "Plan submitted",
        PlanApproved = "plan_approved" / "Plan approved",
        AssistanceUnderWay = "assistance" / "Assistance under way",
        Monitoring = "monitoring" / "Monitoring",
        Closed = "closed" / "Closed",
    }
);

/// Who asks for a step: some steps are a manager's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Caseworker,
    Manager,
}

/// Why a step was refused, for the person who asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StepError {
    #[error("a case cannot go from {from} to {to}")]
    NotAllowed { from: Stage, to: Stage },
    #[error("only an office manager may {what}")]
    ManagerOnly { what: &'static str },
}

impl Stage {
    /// The stages a case may move to next from this one.
    pub fn next(&self) -> &'static [Stage] {
        use Stage::*;
        match self {
            // A returnee who arrives without pre-departure counselling (a spontaneous
            // return registered at origin) goes straight to arrived.
            Registered => &[Counselled, Arrived, Closed],
            Counselled => &[Departed, Closed],
            Departed => &[Arrived, Closed],
            Arrived => &[Assessed, Closed],
            Assessed => &[PlanSubmitted, Closed],
            // A rejected plan goes back to assessment to be redrafted.
            PlanSubmitted => &[PlanApproved, Assessed, Closed],
            PlanApproved => &[AssistanceUnderWay, PlanSubmitted, Closed],
            AssistanceUnderWay => &[Monitoring, Closed],
            Monitoring => &[Closed],
            // Only by reopening.
            Closed => &[Monitoring],
        }
    }

    /// Checks one step, naming what is wrong.
    pub fn step(self, to: Stage, by: Actor) -> Result<Stage, StepError> {
        if !self.next().contains(&to) {
            return Err(StepError::NotAllowed { from: self, to });
        }
        let manager_step = match (self, to) {
            (Stage::PlanSubmitted, Stage::PlanApproved) => Some("approve a plan"),
            (Stage::Closed, _) => Some("reopen a closed case"),
            (_, Stage::Closed) => Some("close a case"),
            _ => None,
        };
        match (manager_step, by) {
            (Some(what), Actor::Caseworker) => Err(StepError::ManagerOnly { what }),
            _ => Ok(to),
        }
    }

    pub fn is_open(&self) -> bool {
        *self != Stage::Closed
    }

    /// What the case needs next at this stage; none once it is closed.
    pub fn next_step(self) -> Option<NextStep> {
        use Stage::*;
        Some(match self {
            Registered => NextStep::Counsel,
            Counselled => NextStep::Depart,
            Departed => NextStep::Arrive,
            Arrived => NextStep::Assess,
            Assessed => NextStep::DraftPlan,
            PlanSubmitted => NextStep::DecidePlan,
            PlanApproved => NextStep::GiveAssistance,
            AssistanceUnderWay | Monitoring => NextStep::FollowUp,
            Closed => return None,
        })
    }
}

code_enum!(
    /// The step a case needs next, by its stage.
    NextStep {
        Counsel = "counsel" / "Counsel the returnee before departure",
        Depart = "depart" / "Record the departure and hand the case over",
        Arrive = "arrive" / "Record the arrival",
        Assess = "assess" / "Assess the returnee's needs",
        DraftPlan = "draft_plan" / "Draft the plan and submit it",
        DecidePlan = "decide_plan" / "Approve or reject the plan",
        GiveAssistance = "give_assistance" / "Record the assistance given",
        FollowUp = "follow_up" / "Follow up with a visit or a call",
    }
);

code_enum!(
    /// Why a case was closed.
    ClosureReason {
        SupportEnded = "support_ended" / "Support period ended",
        NoLongerEligible = "not_eligible" / "No longer eligible",
        OptedOut = "opted_out" / "Returnee opted out",
        Unreachable = "unreachable" / "Moved away or unreachable",
        Deceased = "deceased" / "Deceased",
        Other = "other" / "Other",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_open_stage_has_a_next_step_and_a_closed_case_none() {
        for s in Stage::ALL {
            assert_eq!(s.next_step().is_some(), s.is_open(), "{s}");
        }
        assert_eq!(Stage::PlanSubmitted.next_step(), Some(NextStep::DecidePlan));
    }
    use Stage::*;

    #[test]
    fn the_norway_to_albania_path_is_allowed_step_by_step() {
        let path = [
            Registered,
            Counselled,
            Departed,
            Arrived,
            Assessed,
            PlanSubmitted,
            PlanApproved,
            AssistanceUnderWay,
            Monitoring,
            Closed,
        ];
        let mut at = Registered;
        for to in &path[1..] {
            let by = if *to == PlanApproved || *to == Closed {
                Actor::Manager
            } else {
                Actor::Caseworker
            };
            at = at.step(*to, by).unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(at, Closed);
    }

    #[test]
    fn skipping_and_going_back_are_refused_except_where_the_work_goes_back() {
        assert_eq!(
            Registered.step(PlanApproved, Actor::Manager),
            Err(StepError::NotAllowed {
                from: Registered,
                to: PlanApproved
            })
        );
        assert!(Monitoring.step(Arrived, Actor::Manager).is_err());
        assert_eq!(
            PlanSubmitted.step(Assessed, Actor::Manager),
            Ok(Assessed),
            "rejected plan"
        );
        assert!(
            Registered.step(Arrived, Actor::Caseworker).is_ok(),
            "spontaneous return"
        );
        for s in Stage::ALL {
            assert!(
                s == &Closed || s.next().contains(&Closed),
                "{s} can be closed"
            );
        }
    }

    #[test]
    fn approving_and_reopening_are_a_managers() {
        assert_eq!(
            PlanSubmitted.step(PlanApproved, Actor::Caseworker),
            Err(StepError::ManagerOnly {
                what: "approve a plan"
            })
        );
        assert!(Closed.step(Monitoring, Actor::Caseworker).is_err());
        assert_eq!(
            Monitoring.step(Closed, Actor::Caseworker),
            Err(StepError::ManagerOnly {
                what: "close a case"
            })
        );
        assert_eq!(Closed.step(Monitoring, Actor::Manager), Ok(Monitoring));
        assert!(!Closed.is_open() && Monitoring.is_open());
    }
}
