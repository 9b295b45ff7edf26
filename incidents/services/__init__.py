"""The one door for every change to people, incidents and detentions."""
