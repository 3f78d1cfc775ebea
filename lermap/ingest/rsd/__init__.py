"""Rich Skill Descriptors (OSMT): the API's JSON and the CSV import layouts."""
