"""Pages of the ILM dashboard (``plan``) and of the stakeholder register (``stakeholders``)."""
