"""Pages of the planning app: dashboard (plan), stakeholder register (stakeholders), partnership agreement,
vision and strategy, action plan and tracker (actions), indicators and results (monitoring)."""
