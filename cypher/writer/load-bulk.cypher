// title: Record a bulk first load (`kb load --bulk`, Neo4j's offline importer) as a complete :Load
// The same audit record a one-transaction load leaves (writer/load-complete.cypher), with
// method 'bulk'; `changed` is true (the analysis has not seen this data).
CREATE (:Load {id: $record.id, status: 'complete', method: 'bulk', started_at: $record.at, loaded_at: $record.at,
               files: $record.files, file_sha256: $record.hashes, loaded_by: $record.user, host: $record.host,
               chunks_total: 0, chunks_written: 0, counts: $counts, changed: true,
               completed_at: toString(datetime.truncate('second', datetime()))})
