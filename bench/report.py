def tables(summaries):
    import json
    return json.dumps(summaries, indent=1)
