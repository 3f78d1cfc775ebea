"""O*NET database releases: occupations, skills, knowledge, technology, and the O*NET-SOC ↔ SOC crosswalk."""
