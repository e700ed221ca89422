"""Reading free text: coding answers for themes, agreement between coders, and the safeguarding queue."""
