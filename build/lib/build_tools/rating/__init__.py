"""Rating: study strength, the verdict ceiling, certainty of the evidence, the check that no
verdict outruns its evidence, and the findings (estimates, who was studied) pages show."""
